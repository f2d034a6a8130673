"""M10, L12: with DEBUG off the settings default to https (HSTS, SSL redirect with the probes exempt, Secure
cookies), SITE_SCHEME and each of those is overridable, and Celery's visibility timeout outlasts every retry."""
import json

from rest_framework.test import APIClient

from apps.messaging import media
from convonest.tests.conftest import production_env, real_secrets, run_python

DUMP = ("import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) for k in ["
        "'SITE_SCHEME', 'SECURE_SSL_REDIRECT', 'SECURE_REDIRECT_EXEMPT', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'EMAIL_BACKEND', "
        "'SECRET_KEY', 'JWT_SIGNING_KEY']} | {'jwt': s.SIMPLE_JWT['SIGNING_KEY']}))")


def _settings(**env) -> dict:
    done = run_python(DUMP, production_env(**real_secrets(), **env))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_debug_off_means_https_hsts_ssl_redirect_and_secure_cookies():
    values = _settings()

    assert values["SITE_SCHEME"] == "https"
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["jwt"] == values["JWT_SIGNING_KEY"] != values["SECRET_KEY"]  # JWTs have their own key


def test_each_https_setting_is_overridable_from_the_environment():
    plain = _settings(SITE_SCHEME="http")
    tuned = _settings(SECURE_HSTS_SECONDS="600", SECURE_SSL_REDIRECT="false")

    assert plain["SITE_SCHEME"] == "http" and plain["SECURE_SSL_REDIRECT"] is False
    assert plain["SECURE_HSTS_SECONDS"] == 0 and plain["SESSION_COOKIE_SECURE"] is False
    assert tuned["SECURE_HSTS_SECONDS"] == 600 and tuned["SECURE_SSL_REDIRECT"] is False


def test_the_ssl_redirect_spares_the_probes(alpha, settings):
    settings.SECURE_SSL_REDIRECT = True  # as in production; SECURE_REDIRECT_EXEMPT is the real setting
    client = APIClient(HTTP_HOST=alpha.host)

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code in (200, 503)  # answered, not redirected
    redirected = client.get("/api/site/")
    assert redirected.status_code == 301 and redirected["Location"] == f"https://{alpha.host}/api/site/"
    assert client.get("/api/site/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="127.0.0.1").status_code != 301


def test_hsts_header_is_sent_over_https(alpha, settings):
    settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = 31536000, True

    response = APIClient(HTTP_HOST=alpha.host).get("/healthz", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_celery_visibility_timeout_outlasts_the_longest_retry_delay(settings):
    from convonest.celery import app

    longest = max(media.BACKOFF_MAX_SECONDS, 300)  # media downloads; sends cap their back-off at 300 s
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > longest
    assert app.conf.broker_transport_options["visibility_timeout"] > longest
