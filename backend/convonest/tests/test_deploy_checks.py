"""C1, L4: a deployment with DEBUG off does not run with the repository's public secrets or without real mail.

`manage.py check --deploy` reports it; gunicorn (wsgi), the ASGI server, the Celery worker and beat refuse to
start. `make dev` and the tests (DEBUG on / test mode) are unaffected.
"""
import io
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError

from convonest.checks import PUBLIC_VALUES
from convonest.tests.conftest import SECRET_NAMES, env_example, production_env, real_secrets, run, run_python

CELERY = str(Path(sys.executable).with_name("celery"))
_EXAMPLE = env_example()
EXAMPLE_SETTINGS = {
    "SECRET_KEY": _EXAMPLE["DJANGO_SECRET_KEY"], "FIELD_ENCRYPTION_KEYS": [_EXAMPLE["FIELD_ENCRYPTION_KEY"]],
    "WHATSAPP_APP_SECRET": _EXAMPLE["WHATSAPP_APP_SECRET"], "WHATSAPP_VERIFY_TOKEN": _EXAMPLE["WHATSAPP_VERIFY_TOKEN"],
    "STRIPE_WEBHOOK_SECRET": _EXAMPLE["STRIPE_WEBHOOK_SECRET"], "EMAIL_BACKEND": _EXAMPLE["EMAIL_BACKEND"],
}


def _convonest_errors() -> list[str]:
    return sorted(m.msg for m in run_checks(include_deployment_checks=True) if m.id.startswith("convonest."))


def test_check_deploy_reports_every_public_or_missing_secret_and_a_mail_backend_that_delivers_nothing(settings):
    for name, value in EXAMPLE_SETTINGS.items():
        setattr(settings, name, value)
    settings.JWT_SIGNING_KEY = "dev-only-jwt:whatever-is-after-it-0123456789"
    settings.CONTACT_HASH_KEY = settings.SECRET_KEY

    with pytest.raises(SystemCheckError) as raised:
        call_command("check", "--deploy", stdout=io.StringIO(), stderr=io.StringIO())

    report = str(raised.value)
    for name in ("DJANGO_SECRET_KEY", "JWT_SIGNING_KEY", "CONTACT_HASH_KEY", "FIELD_ENCRYPTION_KEY",
                 "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "STRIPE_WEBHOOK_SECRET"):
        assert f"{name} " in report, name
    assert "CONTACT_HASH_KEY is the same as DJANGO_SECRET_KEY" in report
    assert "EMAIL_BACKEND is django.core.mail.backends.console.EmailBackend" in report
    settings.WHATSAPP_APP_SECRET = ""
    assert "WHATSAPP_APP_SECRET is empty." in _convonest_errors()


def test_check_deploy_has_nothing_to_say_about_real_secrets_and_smtp(settings):
    values = real_secrets()
    settings.SECRET_KEY, settings.JWT_SIGNING_KEY = values["DJANGO_SECRET_KEY"], values["JWT_SIGNING_KEY"]
    settings.CONTACT_HASH_KEY = values["CONTACT_HASH_KEY"]
    settings.FIELD_ENCRYPTION_KEYS = [values["FIELD_ENCRYPTION_KEY"]]
    settings.WHATSAPP_APP_SECRET, settings.WHATSAPP_VERIFY_TOKEN = values["WHATSAPP_APP_SECRET"], "verify-" + "x" * 20
    settings.STRIPE_WEBHOOK_SECRET = settings.STRIPE_SECRET_KEY = ""  # billing not configured: allowed
    settings.EMAIL_BACKEND = values["EMAIL_BACKEND"]

    assert _convonest_errors() == []


def test_every_secret_in_env_example_is_known_to_be_public():
    example = env_example()
    present = [name for name in (*SECRET_NAMES, "STRIPE_WEBHOOK_SECRET", "STRIPE_SECRET_KEY") if name in example]
    assert "DJANGO_SECRET_KEY" in present and "FIELD_ENCRYPTION_KEY" in present  # the file was parsed at all
    for name in present:
        assert example[name] in PUBLIC_VALUES or example[name].startswith("dev-only"), name


@pytest.mark.parametrize("module", ["convonest.wsgi", "convonest.asgi"])
def test_web_entry_points_refuse_to_start_with_debug_off_and_the_example_secrets(module):
    example = env_example()
    public = production_env(**{k: example[k] for k in SECRET_NAMES if k in example},
                            JWT_SIGNING_KEY="dev-only-jwt-" + "x" * 40, CONTACT_HASH_KEY="dev-only-hash-" + "x" * 40)

    refused = run_python(f"import {module}", public)
    started = run_python(f"import {module}", production_env(**real_secrets()))

    assert refused.returncode != 0
    assert "Refusing to start with DEBUG off" in refused.stderr
    assert "DJANGO_SECRET_KEY starts with 'dev-only'" in refused.stderr
    assert "WHATSAPP_APP_SECRET is the public example value" in refused.stderr
    assert started.returncode == 0, started.stderr


def test_web_entry_point_refuses_a_console_mail_backend_with_debug_off():
    refused = run_python("import convonest.wsgi", production_env(
        **{**real_secrets(), "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}))

    assert refused.returncode != 0 and "EMAIL_BACKEND is django.core.mail.backends.console" in refused.stderr


def test_settings_without_the_separate_keys_do_not_load_with_debug_off():
    values = real_secrets()
    del values["JWT_SIGNING_KEY"]

    failed = run_python("import django; django.setup()", production_env(**values))

    assert failed.returncode != 0 and "Environment variable JWT_SIGNING_KEY is required" in failed.stderr


def test_make_dev_still_starts_with_the_example_file_and_debug_on():
    example = env_example()
    dev = production_env(**{k: v for k, v in example.items() if not k.startswith(("DATABASE_", "REDIS_"))})
    assert dev["DJANGO_DEBUG"] == "true"

    assert run_python("import convonest.wsgi", dev).returncode == 0


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_worker_and_beat_refuse_to_start_with_the_example_secrets(service, tmp_path):
    example = env_example()
    public = production_env(**{k: example[k] for k in SECRET_NAMES if k in example},
                            JWT_SIGNING_KEY="dev-only-jwt-" + "x" * 40, CONTACT_HASH_KEY="dev-only-hash-" + "x" * 40,
                            CELERY_BEAT_SCHEDULE_FILENAME=str(tmp_path / "beat"))
    extra = ["--pool", "solo"] if service == "worker" else []

    refused = run([CELERY, "-A", "convonest", service, "-l", "warning", *extra], public, timeout=90)

    assert refused.returncode != 0
    assert "Refusing to start with DEBUG off" in refused.stderr + refused.stdout


def test_bootstrap_demo_refuses_to_create_the_public_demo_login_with_debug_off(settings, db):
    from tenants.models import Tenant, User

    settings.DEBUG, settings.TESTING = False, False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("bootstrap_demo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        call_command("bootstrap_demo", "--allow-without-debug", stdout=io.StringIO())

    assert not Tenant.objects.filter(slug=settings.DEMO_TENANT_SLUG).exists()
    assert not User.objects.filter(email__iexact=settings.DEMO_EMAIL).exists()
