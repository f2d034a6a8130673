"""API key material: `cn_live_` + 43 characters of base64url (32 random bytes). Only its SHA-256 is stored.

A fast hash is right here: the secret is 256 random bits, so there is nothing to guess, and every API request
hashes one. Lookups are by hash (a unique index); the stored hash is then compared again in constant time.
"""
import hashlib
import hmac
import secrets

KEY_PREFIX = "cn_live_"
SECRET_BYTES = 32
PREFIX_CHARS = 8  # of the secret, shown in lists: `cn_live_AbCd1234`


def generate() -> tuple[str, str, str]:
    """A new key: (full key, public prefix, sha256 hex). The full key is shown once and never stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    return key, key[: len(KEY_PREFIX) + PREFIX_CHARS], hash_key(key)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def looks_like_key(token: str) -> bool:
    return token.startswith(KEY_PREFIX)


def matches(key: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_key(key), secret_hash)
