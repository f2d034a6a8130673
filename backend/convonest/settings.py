"""ConvoNest settings. Every value comes from the environment; `.env.example` documents each one."""
import os
from datetime import timedelta
from pathlib import Path

from convonest.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent  # backend/
REPO_DIR = BASE_DIR.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = env_bool("CONVONEST_TESTING", "PYTEST_VERSION" in os.environ)  # pytest sets PYTEST_VERSION
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-secret-key-change-me" if DEBUG or TESTING else None)

# --- Hosts and tenancy ------------------------------------------------------------------------
# The bare BASE_DOMAIN is the public site; {slug}.BASE_DOMAIN (or a custom Domain row) is a tenant.
BASE_DOMAIN = env_str("BASE_DOMAIN", "localhost").lower()
SITE_SCHEME = env_str("SITE_SCHEME", "http")
SITE_PORT = env_str("SITE_PORT", "3000")  # the port browsers use; empty in production
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", f".{BASE_DOMAIN},{BASE_DOMAIN},127.0.0.1,localhost")
# Proxies (Next.js in dev, nginx in production) whose X-Forwarded-Host we believe; see core.middleware.
TRUSTED_PROXY_IPS = set(env_list("TRUSTED_PROXY_IPS", "127.0.0.1,::1"))
USE_X_FORWARDED_HOST = True  # safe: TrustedProxyMiddleware drops the header from anyone else
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SHARED_APPS = [
    "django_tenants",  # must come first
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "dj_rest_auth",
    "drf_spectacular",
    "apps.core",
]
TENANT_APPS = [
    # Per-tenant product apps live here; their tables exist in every tenant schema.
    "apps.accounts",
    "apps.contacts",
    "apps.whatsapp",
    "apps.messaging",
    "apps.webhooks",
    "apps.templates",
    "apps.calls",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "convonest.urls_public"
ROOT_URLCONF = "convonest.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
TENANT_LIMIT_SET_CALLS = True
# Signup takes a pre-migrated schema from this pool instead of running migrations (tenants.schema_pool).
SCHEMA_POOL_SIZE = env_int("SCHEMA_POOL_SIZE", 3)
RESERVED_SLUGS = {
    "www", "api", "admin", "app", "apps", "partners", "partner", "static", "media", "assets", "mail",
    "email", "smtp", "ftp", "public", "status", "help", "support", "docs", "blog", "billing", "signup",
    "login", "auth", "account", "accounts", "dashboard", "webhooks", "webhook", "sandbox", "reseller",
    "resellers", "convonest", "test", "dev", "staging", "internal", "root", "system", "localhost",
}

MIDDLEWARE = [
    "apps.core.middleware.TrustedProxyMiddleware",
    "apps.core.middleware.TenantHostMiddleware",  # resolves request.tenant; must precede everything else
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

WSGI_APPLICATION = "convonest.wsgi.application"

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/convonest")
    )
}
# Two test runs on one server (two checkouts, or parallel work) each need their own test database.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
# Tests share the Redis server with a running `make dev`; their keys carry their own prefix
# (and concurrent test runs each their own: CACHE_PREFIX=cntest_other).
CACHE_PREFIX = env_str("CACHE_PREFIX", "cntest" if TESTING else "cn")
CACHES = {
    # Tenant-scoped: django-tenants prefixes every key with the current schema.
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "KEY_PREFIX": CACHE_PREFIX,
    },
    # Platform-wide: login throttling by email, single-use tokens. Keys name their scope explicitly.
    "global": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"{CACHE_PREFIX}-global",
    },
}

# --- Users and authentication -----------------------------------------------------------------
AUTH_USER_MODEL = "tenants.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Password hashing dominates test time otherwise.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["apps.core.auth.TenantJWTCookieAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["apps.core.permissions.IsTenantMember"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "signup": env_str("THROTTLE_SIGNUP", "20/hour"),
        "password_reset": "10/hour",
        "invite_accept": "30/hour",
        "send": env_str("THROTTLE_SEND", "600/minute"),  # per person, API sends (campaigns pace themselves)
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Failed logins allowed per email (across every tenant) and per IP in the window below.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900)

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": SECRET_KEY,
}
REST_AUTH = {
    "USE_JWT": True,
    "TOKEN_MODEL": None,
    "SESSION_LOGIN": False,
    "JWT_AUTH_COOKIE": "cn-access",
    "JWT_AUTH_REFRESH_COOKIE": "cn-refresh",
    "JWT_AUTH_REFRESH_COOKIE_PATH": "/api/auth/",
    "JWT_AUTH_HTTPONLY": True,
    "JWT_AUTH_SAMESITE": "Lax",
    "JWT_AUTH_SECURE": SITE_SCHEME == "https",
    "JWT_AUTH_COOKIE_USE_CSRF": False,  # SameSite=Lax + JSON-only API; see docs/architecture.md
    "JWT_TOKEN_CLAIMS_SERIALIZER": "apps.accounts.serializers.TenantTokenObtainSerializer",
    "JWT_SERIALIZER": "apps.accounts.serializers.LoginResultSerializer",
    "LOGIN_SERIALIZER": "apps.accounts.serializers.LoginSerializer",
    "USER_DETAILS_SERIALIZER": "apps.accounts.serializers.CurrentUserSerializer",
    "PASSWORD_RESET_SERIALIZER": "apps.accounts.serializers.PasswordResetSerializer",
    "PASSWORD_CHANGE_SERIALIZER": "apps.accounts.serializers.PasswordChangeSerializer",
    "OLD_PASSWORD_FIELD_ENABLED": True,
    "LOGOUT_ON_PASSWORD_CHANGE": False,
}

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", "")
CORS_ALLOW_CREDENTIALS = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

SPECTACULAR_SETTINGS = {
    "TITLE": "ConvoNest API",
    "DESCRIPTION": "Multi-tenant WhatsApp Business API. Tenant endpoints are served on the tenant's "
    "own host ({slug}." + BASE_DOMAIN + "); signup on the public host.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api",
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "tenants.models.Role",
        "MessageStatusEnum": "apps.messaging.models.Message.Status",
        "MessageDirectionEnum": "apps.messaging.models.Message.Direction",
        "ConversationStatusEnum": "apps.messaging.models.Conversation.Status",
        "InviteStatusEnum": ["pending", "accepted", "revoked", "expired"],
        "TeamEventActionEnum": "apps.accounts.models.TeamEvent.Action",
        "ConsentStateEnum": "apps.contacts.models.ConsentState",
        "ConsentActionEnum": "apps.contacts.models.ConsentAction",
        "ContactImportStatusEnum": "apps.contacts.models.ImportStatus",
    },
    "PREPROCESSING_HOOKS": [],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "apps.core.schema.add_error_envelope"],
}

# --- Email ------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ConvoNest <no-reply@convonest.local>")
INVITE_LIFETIME_DAYS = env_int("INVITE_LIFETIME_DAYS", 7)

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# A test run's worker must not take a dev worker's tasks (or the reverse) on a shared Redis.
CELERY_TASK_DEFAULT_QUEUE = CACHE_PREFIX if TESTING else "celery"
CELERY_BEAT_SCHEDULE_FILENAME = env_str("CELERY_BEAT_SCHEDULE_FILENAME", str(REPO_DIR / ".data" / "celerybeat"))

# --- Secrets at rest --------------------------------------------------------------------------------
# Comma-separated Fernet keys: the first encrypts, all decrypt (rotation). See apps.core.crypto.
_DEV_ONLY_FERNET_KEY = "cXm6T3Z0cU1oTjR2bGJ3a2c0c2lVd0lYc0N6VDBaZ3E="
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEY", _DEV_ONLY_FERNET_KEY if DEBUG or TESTING else "")

# --- Integrations (used by later modules) -------------------------------------------------------
WHATSAPP_VERIFY_TOKEN = env_str("WHATSAPP_VERIFY_TOKEN", "")
# The first business's number, connected by `bootstrap_demo` when set (the sandbox's demo business in dev).
WHATSAPP_ACCESS_TOKEN = env_str("WHATSAPP_ACCESS_TOKEN", "")
WHATSAPP_PHONE_ID = env_str("WHATSAPP_PHONE_ID", "")
WHATSAPP_BUSINESS_ID = env_str("WHATSAPP_BUSINESS_ID", "")
WHATSAPP_APP_ID = env_str("WHATSAPP_APP_ID", "")
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET", "")
WHATSAPP_GRAPH_URL = env_str("WHATSAPP_GRAPH_URL", "http://127.0.0.1:8010")
WHATSAPP_GRAPH_VERSION = env_str("WHATSAPP_GRAPH_VERSION", "v23.0")
# Sending: per-recipient pacing below Meta's pair limit (131056: about 1 message / 6 s, small bursts).
PAIR_RATE_PER_SECOND = float(env_str("PAIR_RATE_PER_SECOND", str(1 / 6)))
PAIR_RATE_BURST = env_int("PAIR_RATE_BURST", 10)
# A send left in `sending` with no answer and no status webhook for this long never reached Meta.
MESSAGE_RECONCILE_AFTER_SECONDS = env_int("MESSAGE_RECONCILE_AFTER_SECONDS", 900)
# A live-inbox event stream (SSE) ends after this long and the browser reconnects with Last-Event-ID; it must
# stay under the Next.js proxy's 60 s backend timeout.
INBOX_STREAM_SECONDS = env_int("INBOX_STREAM_SECONDS", 40)
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")

# --- Demo data (make dev) ------------------------------------------------------------------------
DEMO_TENANT_SLUG = env_str("DEMO_TENANT_SLUG", "demo")
DEMO_EMAIL = env_str("DEMO_EMAIL", "owner@demo.localhost")
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "convonest-demo")

# --- Static, i18n, logging ----------------------------------------------------------------------
# Uploaded files (contact imports now, media later). Web and worker processes must share it.
MEDIA_ROOT = env_str("MEDIA_ROOT", str(REPO_DIR / ".data" / "media"))
CONTACT_IMPORT_MAX_BYTES = env_int("CONTACT_IMPORT_MAX_BYTES", 100 * 1024 * 1024)
STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / ".data" / "static"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"tenant": {"()": "django_tenants.log.TenantContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(schema_name)s] %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["tenant"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},  # logs every request URL at INFO
        "httpcore": {"level": "WARNING"},
    },
}
