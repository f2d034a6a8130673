"""Secrets at rest (access tokens): Fernet with key rotation.

FIELD_ENCRYPTION_KEY holds comma-separated Fernet keys. The first encrypts; every one decrypts, so a
key is rotated by putting the new one first, re-encrypting stored secrets with `rotate()`, then
dropping the old one.
"""
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not set (see .env.example)")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("A stored secret can't be decrypted with FIELD_ENCRYPTION_KEY") from None


def rotate(ciphertext: str) -> str:
    """Re-encrypt with the first (newest) key."""
    return fernet().rotate(ciphertext.encode()).decode()


class EncryptedTextField(models.TextField):
    """Stores ciphertext; the model attribute is plaintext. Never put it in a serializer or a log."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):
        return None if value is None else encrypt(str(value))
