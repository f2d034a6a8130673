"""Passwords are stored with Argon2id at OWASP's cost; older hashes keep working and are upgraded at login.

Tests hash with MD5 for speed (settings.TESTING), so these tests switch to the production list explicitly.
"""
import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.test import override_settings

from conftest import PASSWORD
from tenants.models import User


@pytest.fixture
def production_hashers():
    with override_settings(PASSWORD_HASHERS=settings.PRODUCTION_PASSWORD_HASHERS):
        yield


def test_production_settings_store_passwords_as_argon2id_with_owasp_parameters(production_hashers):
    encoded = make_password(PASSWORD)
    # argon2$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
    algorithm, variety, version, params, *_ = encoded.split("$")
    assert (algorithm, variety, params) == ("argon2", "argon2id", "m=19456,t=2,p=1")


def test_a_pbkdf2_hash_from_before_still_logs_in_and_is_upgraded_to_argon2id(alpha, production_hashers):
    owner = User.objects.get(pk=alpha.owner.pk)
    owner.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    owner.save(update_fields=["password"])

    alpha.client(owner)  # logs in through the real endpoint (asserts 200)

    owner.refresh_from_db()
    assert owner.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_wrong_password_against_an_argon2id_hash_is_refused(alpha, production_hashers):
    owner = User.objects.get(pk=alpha.owner.pk)
    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])

    response = alpha.client().post("/api/auth/login/", {"email": owner.email, "password": PASSWORD + "x"},
                                   format="json")

    assert response.status_code in (400, 401)
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
