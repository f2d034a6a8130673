"""Run settings and entry points as production would: in a child process with DEBUG and test mode off."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

REPO = Path(__file__).resolve().parents[3]
SECRET_NAMES = ("DJANGO_SECRET_KEY", "JWT_SIGNING_KEY", "CONTACT_HASH_KEY", "FIELD_ENCRYPTION_KEY",
                "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN")


def env_example() -> dict[str, str]:
    values = {}
    for line in (REPO / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def real_secrets() -> dict[str, str]:
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "JWT_SIGNING_KEY": secrets.token_urlsafe(50),
        "CONTACT_HASH_KEY": secrets.token_urlsafe(50), "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "WHATSAPP_APP_SECRET": secrets.token_hex(16), "WHATSAPP_VERIFY_TOKEN": secrets.token_urlsafe(24),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }


def production_env(**overrides) -> dict[str, str]:
    """This process's environment as a production process sees it: no pytest, DEBUG off."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION" and not k.startswith("PYTEST_")}
    for name in (*SECRET_NAMES, "EMAIL_BACKEND", "SITE_SCHEME", "SECURE_SSL_REDIRECT", "DJANGO_SECRET_KEY_FALLBACKS",
                 "CONTACT_HASH_KEY_FALLBACKS", "STRIPE_WEBHOOK_SECRET", "STRIPE_SECRET_KEY"):
        env.pop(name, None)
    env.update({"CONVONEST_TESTING": "false", "DJANGO_DEBUG": "false", "DJANGO_SETTINGS_MODULE": "convonest.settings"})
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=REPO / "backend", capture_output=True, text=True, timeout=timeout)


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", code], env)
