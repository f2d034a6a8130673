"""How passwords are stored: Argon2id at OWASP's recommended cost.

Django's default, PBKDF2-SHA256 at 1,000,000 iterations, costs 0.3-0.4 s of CPU per login or signup on a
2-core host: most of a signup (aim < 0.3 s, docs/architecture.md) and an easy way to load the web workers
with login attempts. Argon2id is memory-hard (a GPU or ASIC guesses far slower per unit of cost) and OWASP's
first choice; its recommended setting (19 MiB, 2 passes, 1 lane) costs ~35 ms here. Hashes of older settings
(PBKDF2, or Argon2 at other parameters) still verify and are rewritten at the next successful login
(`must_update`).
"""
from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    # OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
    time_cost = 2
    memory_cost = 19456
    parallelism = 1
