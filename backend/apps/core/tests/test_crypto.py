import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from apps.core import crypto


def test_secrets_round_trip_and_never_appear_in_the_ciphertext():
    token = "EAAG-secret-access-token"

    ciphertext = crypto.encrypt(token)

    assert token not in ciphertext
    assert crypto.decrypt(ciphertext) == token


def test_rotation_keeps_old_ciphertexts_readable_and_moves_them_to_the_new_key(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    ciphertext = crypto.encrypt("s3cret")

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert crypto.decrypt(ciphertext) == "s3cret"
    rotated = crypto.rotate(ciphertext)

    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert crypto.decrypt(rotated) == "s3cret"
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(ciphertext)


def test_missing_key_is_a_configuration_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = []

    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
