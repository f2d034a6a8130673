"""Deployment checks: the secrets and the mail backend a real deployment must not run with.

Two ways in, one set of rules:
- `manage.py check --deploy` lists every problem (the checks carry the deploy tag, like Django's own);
- the production entry points (wsgi, asgi, the Celery worker and beat) call `refuse_insecure_start()` and
  do not start while any of these errors stands, unless DEBUG or the test suite is on. manage.py commands
  are left alone on purpose: the image runs collectstatic at build time with placeholders, and an operator
  must be able to run `check --deploy` to see what is wrong.
"""
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# Values that are public: the repository's .env.example and settings' dev/test defaults. A deployment using
# any of them can be impersonated by anyone who has read the repository (audit C1).
# test_deploy_checks.py asserts every secret in .env.example is listed here.
PUBLIC_VALUES = {
    "dev-only-8TtvwzcwuBc1Php5sHd5ltRU8Nx-NVQKYAgXJhQvSYbFYIx7_VcVrQ",  # DJANGO_SECRET_KEY
    "-krX8jn1m1fLOPNmQMQnQp9mX7D2eqkV6e-smomA5cA=",  # FIELD_ENCRYPTION_KEY
    "cXm6T3Z0cU1oTjR2bGJ3a2c0c2lVd0lYc0N6VDBaZ3E=",  # settings' dev/test Fernet key
    "sandbox-demo-app-secret",  # WHATSAPP_APP_SECRET
    "convonest-dev-verify-token",  # WHATSAPP_VERIFY_TOKEN
    "whsec_convonest_placeholder",  # STRIPE_WEBHOOK_SECRET
    "sk_test_convonest_placeholder",  # STRIPE_SECRET_KEY
    "collectstatic-only",  # the image's build-time placeholder
}
DEV_PREFIX = "dev-only"
MIN_KEY_LENGTH = 32  # HS256 JWTs and HMACs: a short key is guessed offline from one token or hash

# Mail backends that deliver nothing to anyone (console and file print invite and reset links to logs).
NOT_REAL_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


def _secrets() -> list[tuple[str, list[str], bool]]:
    """(environment variable, its values, required). Optional ones are checked only when set."""
    return [
        ("DJANGO_SECRET_KEY", [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS], True),
        ("JWT_SIGNING_KEY", [settings.JWT_SIGNING_KEY], True),
        ("CONTACT_HASH_KEY", [settings.CONTACT_HASH_KEY], True),
        ("FIELD_ENCRYPTION_KEY", list(settings.FIELD_ENCRYPTION_KEYS), True),
        ("WHATSAPP_APP_SECRET", [settings.WHATSAPP_APP_SECRET], True),
        ("WHATSAPP_VERIFY_TOKEN", [settings.WHATSAPP_VERIFY_TOKEN], True),
        ("STRIPE_WEBHOOK_SECRET", [settings.STRIPE_WEBHOOK_SECRET], False),
        ("STRIPE_SECRET_KEY", [settings.STRIPE_SECRET_KEY], False),
        ("METRICS_TOKEN", [settings.METRICS_TOKEN], False),
    ]


def _secret_problem(name: str, value: str, required: bool) -> str | None:
    if not value:
        return "is empty" if required else None
    if value.startswith(DEV_PREFIX):
        return f"starts with {DEV_PREFIX!r} (a development value)"
    if value in PUBLIC_VALUES:
        return "is the public example value from the repository"
    if name in {"DJANGO_SECRET_KEY", "JWT_SIGNING_KEY", "CONTACT_HASH_KEY", "METRICS_TOKEN"} \
            and len(value) < MIN_KEY_LENGTH:
        return f"is shorter than {MIN_KEY_LENGTH} characters"
    return None


@checks.register(checks.Tags.security, deploy=True)
def check_secrets(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    for name, values, required in _secrets():
        for value in values or [""]:
            problem = _secret_problem(name, value, required)
            if problem:
                errors.append(checks.Error(
                    f"{name} {problem}.", id="convonest.E001",
                    hint="Set a long random value of your own in the environment (see .env.example)."))
    for name, value in (("JWT_SIGNING_KEY", settings.JWT_SIGNING_KEY), ("CONTACT_HASH_KEY", settings.CONTACT_HASH_KEY)):
        if value and value == settings.SECRET_KEY:
            errors.append(checks.Error(
                f"{name} is the same as DJANGO_SECRET_KEY.", id="convonest.E002",
                hint="Each key has one purpose, so rotating one does not break the others: use its own value."))
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_mail_backend(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.EMAIL_BACKEND in NOT_REAL_MAIL_BACKENDS:
        return [checks.Error(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}, which delivers nothing: invitations and password resets "
            "would never arrive (and the console and file backends write their one-time links to logs).",
            id="convonest.E003",
            hint="Use django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST etc., or another real backend.")]
    return []


DEPLOY_CHECKS = (check_secrets, check_mail_backend)


def deploy_errors() -> list[checks.CheckMessage]:
    silenced = set(settings.SILENCED_SYSTEM_CHECKS)
    return [e for check in DEPLOY_CHECKS for e in check() if e.is_serious() and e.id not in silenced]


def refuse_insecure_start() -> None:
    """Raise ImproperlyConfigured unless this process may serve production traffic. DEBUG and tests pass."""
    if settings.DEBUG or getattr(settings, "TESTING", False):
        return
    errors = deploy_errors()
    if errors:
        lines = "\n".join(f"  - {e.msg} ({e.id})" for e in errors)
        raise ImproperlyConfigured(
            f"Refusing to start with DEBUG off: this deployment is not safe to run.\n{lines}\n"
            "Run `python manage.py check --deploy` for details.")
