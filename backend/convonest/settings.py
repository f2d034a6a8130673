"""ConvoNest settings. Every value comes from the environment; `.env.example` documents each one."""
import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from convonest.cookies import auth_cookies
from convonest.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent  # backend/
REPO_DIR = BASE_DIR.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = env_bool("CONVONEST_TESTING", "PYTEST_VERSION" in os.environ)  # pytest sets PYTEST_VERSION
# Dev and tests get working defaults (secrets, http, console mail); production must configure each.
_DEV_ONLY = DEBUG or TESTING
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-secret-key-change-me" if _DEV_ONLY else None)
# Older keys still accepted for signed links (reset, handoff) while a new SECRET_KEY rolls out.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", "")
# Each secret below has one purpose, so rotating one never breaks another. Dev and tests derive them from
# SECRET_KEY; production must set each (convonest.checks refuses to start otherwise).
# Signs the JWTs (SIMPLE_JWT): rotating it ends every session, nothing else.
JWT_SIGNING_KEY = env_str("JWT_SIGNING_KEY", "dev-only-jwt:" + SECRET_KEY if _DEV_ONLY else None)
# Keys the hashes of erased opted-out identities (apps.contacts.identity). In dev/test SECRET_KEY itself,
# which is what hashes stored before this setting existed were keyed with.
CONTACT_HASH_KEY = env_str("CONTACT_HASH_KEY", SECRET_KEY if _DEV_ONLY else None)
# Older contact-hash keys, comma separated: suppressions stored under them still match (see rekey_contact_hashes).
CONTACT_HASH_KEY_FALLBACKS = env_list("CONTACT_HASH_KEY_FALLBACKS", "")

# --- Hosts and tenancy ------------------------------------------------------------------------
# The bare BASE_DOMAIN is the public site; {slug}.BASE_DOMAIN (or a custom Domain row) is a tenant.
BASE_DOMAIN = env_str("BASE_DOMAIN", "localhost").lower()
# The reseller partner console's host (tenants.hosts); "partners" is a reserved slug, so no business takes it.
PARTNERS_HOST = env_str("PARTNERS_HOST", f"partners.{BASE_DOMAIN}").lower()
# https unless told otherwise outside dev/test: links we mail, Secure cookies, HSTS and the SSL redirect follow it.
SITE_SCHEME = env_str("SITE_SCHEME", "http" if _DEV_ONLY else "https")
SITE_PORT = env_str("SITE_PORT", "3000")  # the port browsers use; empty in production
# Every host is judged by tenants.hosts.HostMiddleware, the first to read it: a Domain row (a subdomain, or a custom
# domain proved by DNS), the console's host or a reseller's proved domain; anything else answers 404. Custom domains
# can't be listed here in advance, so Django admits any host by default; a deployment without custom domains may
# narrow it (e.g. ".example.com,example.com").
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")
# Looks up the TXT record that proves a custom domain (tenants.branding.dns): `(name) -> list[str]`.
DNS_TXT_RESOLVER = env_str("DNS_TXT_RESOLVER", "tenants.branding.dns.system_txt_records")
# Proxies (Next.js in dev, nginx in production) whose X-Forwarded-Host we believe; see core.middleware.
TRUSTED_PROXY_IPS = set(env_list("TRUSTED_PROXY_IPS", "127.0.0.1,::1"))
USE_X_FORWARDED_HOST = True  # safe: TrustedProxyMiddleware drops the header from anyone else
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS (audit M10): on whenever links say https, which is the default outside dev/test. The TLS terminator in
# front of nginx must send X-Forwarded-Proto (infra/nginx/convonest.conf). The probes answer on plain http.
_HTTPS = SITE_SCHEME == "https" and not _DEV_ONLY
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600) if _HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)  # every tenant is a subdomain
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _HTTPS

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
    "drf_spectacular_sidecar",  # Swagger UI served from our own /static/, not a CDN
    "apps.core",
    "convonest",  # registers the deployment checks (convonest.checks)
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
    "apps.campaigns",
    "apps.developer",  # the public API's keys (and outbound webhooks)
    "apps.analytics",  # the dashboard: daily tables kept by triggers (docs/analytics.md)
    "apps.audit",  # who did what, from where: written in each change's transaction (docs/audit-log.md)
    "apps.portability",  # the whole business as a download, and its deletion (docs/data-export-and-deletion.md)
    "apps.demo",  # manage.py bootstrap_demo (no models)
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
# migrate_schemas runs tenants.migrate_executor unless told otherwise (`--executor=standard`): schemas already at the
# latest migration are skipped, the rest migrated this many at a time, and one failing business fails alone.
# django-tenants reads its default executor from the environment only.
os.environ.setdefault("EXECUTOR", "convonest")
TENANT_MULTIPROCESSING_MAX_PROCESSES = env_int("TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)
TENANT_MULTIPROCESSING_CHUNKS = env_int("TENANT_MULTIPROCESSING_CHUNKS", 1)  # django-tenants' multiprocessing one
RESERVED_SLUGS = {
    "www", "api", "admin", "app", "apps", "partners", "partner", "static", "media", "assets", "mail",
    "email", "smtp", "ftp", "public", "status", "help", "support", "docs", "blog", "billing", "signup",
    "login", "auth", "account", "accounts", "dashboard", "webhooks", "webhook", "sandbox", "reseller",
    "resellers", "convonest", "test", "dev", "staging", "internal", "root", "system", "localhost",
}

MIDDLEWARE = [
    "convonest.observability.http.RequestMetricsMiddleware",  # outermost: every answer counts (docs/observability.md)
    "apps.core.middleware.TrustedProxyMiddleware",
    "apps.audit.middleware.AuditOriginMiddleware",  # the request id, and the real client's address for the audit log
    "tenants.ingress.fast_lane.WebhookFastLaneMiddleware",  # Meta's webhook POSTs skip the rest (webhook-ingest.md)
    "tenants.hosts.HostMiddleware",  # resolves request.tenant (or the partner console); must precede everything else
    "apps.core.input_guards.RejectNulMiddleware",  # 400 for NUL in the path or query string
    "tenants.billing.middleware.ReadOnlyMiddleware",  # 402 read_only for writes of a business that stopped paying
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.developer.ratelimit.RateLimitHeadersMiddleware",  # RateLimit-* on every answer to an API key
    "apps.developer.idempotency.IdempotencyMiddleware",  # Idempotency-Key on every POST of the API
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
# Argon2id (tenants/hashers.py); the others only verify older hashes, which are upgraded at the next login.
PRODUCTION_PASSWORD_HASHERS = ["tenants.hashers.Argon2idPasswordHasher",
                                "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS
if TESTING:
    # Password hashing dominates test time otherwise.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

REST_FRAMEWORK = {
    # `Bearer cn_live_…` is a business's API key (apps.developer.auth); any other token or the cookie is a session.
    "DEFAULT_AUTHENTICATION_CLASSES": ["apps.developer.auth.ApiKeyAuthentication",
                                       "tenants.auth.TenantJWTCookieAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["tenants.permissions.IsTenantMember"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "apps.core.schema.AutoSchema",  # names nested InputSerializers after their view
    "EXCEPTION_HANDLER": "apps.core.errors.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.input_guards.JSONParser",  # refuses NUL in strings (PostgreSQL can't store it)
    ],  # JSON only (415 otherwise): a cross-site <form> can't post JSON. File uploads opt into multipart.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Every throttle counts the real client (apps.core.throttling / client_ip); views name a scope.
    "DEFAULT_THROTTLE_CLASSES": ["apps.core.throttling.ScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "signup": env_str("THROTTLE_SIGNUP", "20/hour"),
        "password_reset": "10/hour",
        "password_change": "20/hour",
        "invite_accept": "60/hour",  # lookup + accept, per client across businesses (an office onboarding)
        "invite_business": env_str("THROTTLE_INVITES_PER_BUSINESS", "50/day"),  # invitation mails (spam)
        "invite_member": "20/hour",
        "send": env_str("THROTTLE_SEND", "600/minute"),  # per person, API sends (campaigns pace themselves)
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# The public API (apps.developer): requests a minute per API key unless the key sets its own.
API_KEY_RATE_LIMIT = env_int("API_KEY_RATE_LIMIT", 600)
# Idempotency-Key: the first answer is replayed this long; a claim whose request died is freed after the lock time.
IDEMPOTENCY_TTL_SECONDS = env_int("IDEMPOTENCY_TTL_SECONDS", 24 * 3600)
IDEMPOTENCY_LOCK_SECONDS = env_int("IDEMPOTENCY_LOCK_SECONDS", 120)
# Failed logins allowed per (email, client) across every tenant, and x4 per client, in the window below.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900)
# Failures for one email (from any clients) in the window above that mark a distributed attack: each
# client then gets 2 tries at that email. Never a lock-out: the right password still works.
LOGIN_FAILURE_EMAIL_ALERT = env_int("LOGIN_FAILURE_EMAIL_ALERT", 50)
# Reset mails to one address per hour, across every business (mail bombing).
PASSWORD_RESET_MAILS_PER_HOUR = env_int("PASSWORD_RESET_MAILS_PER_HOUR", 3)
# A rotated refresh token presented again this soon after its rotation is two tabs racing, not theft.
REFRESH_REUSE_GRACE_SECONDS = env_int("REFRESH_REUSE_GRACE_SECONDS", 10)

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": JWT_SIGNING_KEY,
}
REST_AUTH = {
    "USE_JWT": True,
    "TOKEN_MODEL": None,
    "SESSION_LOGIN": False,
    # __Host-cn-access / __Host-cn-refresh (Secure, Path=/) over https; cn-access / cn-refresh in dev.
    **auth_cookies(secure=SITE_SCHEME == "https"),
    "JWT_AUTH_HTTPONLY": True,
    "JWT_AUTH_SAMESITE": "Lax",
    # No CSRF token: apps.core.csrf checks Sec-Fetch-Site / Origin on cookie-authenticated writes.
    "JWT_AUTH_COOKIE_USE_CSRF": False,
    "JWT_TOKEN_CLAIMS_SERIALIZER": "apps.accounts.serializers.TenantTokenObtainSerializer",
    "JWT_SERIALIZER": "apps.accounts.serializers.LoginResultSerializer",
    "LOGIN_SERIALIZER": "apps.accounts.serializers.LoginSerializer",
    "USER_DETAILS_SERIALIZER": "apps.accounts.serializers.CurrentUserSerializer",
    "PASSWORD_RESET_SERIALIZER": "apps.accounts.serializers.PasswordResetSerializer",
    "PASSWORD_RESET_CONFIRM_SERIALIZER": "apps.accounts.serializers.PasswordResetConfirmSerializer",
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
    "own host ({slug}." + BASE_DOMAIN + "); signup on the public host. Text anywhere in a request (path, query, "
    "body) must not contain NUL (U+0000): 400 `malformed_request`.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Self-hosted UI (no third-party script on tenant origins); who may read the schema: urls_common.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api",
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "tenants.models.Role",
        "ResellerRoleEnum": "tenants.models.ResellerRole",
        "WalletEntryKindEnum": "tenants.billing.wallet_models.WalletEntry.Kind",
        "MessageStatusEnum": "apps.messaging.models.Message.Status",
        "MessageDirectionEnum": "apps.messaging.models.Message.Direction",
        "ConversationStatusEnum": "apps.messaging.models.Conversation.Status",
        "InviteStatusEnum": ["pending", "accepted", "revoked", "expired"],
        "ConsentStateEnum": "apps.contacts.models.ConsentState",
        "ConsentActionEnum": "apps.contacts.models.ConsentAction",
        "ContactImportStatusEnum": "apps.contacts.models.ImportStatus",
        "WebhookDeliveryStatusEnum": "apps.developer.webhook_models.WebhookDelivery.Status",
        "WebhookEventTypeEnum": "apps.developer.webhooks_api.EVENT_CHOICES",
        "WebhookDeliveryEventTypeEnum": "apps.developer.webhooks_api.DELIVERY_EVENT_CHOICES",
        "ApiKeyScopeEnum": "apps.developer.models.ApiKeyScope",
        "BusinessExportStatusEnum": "apps.portability.models.BusinessExport.Status",
        "CampaignStatusEnum": "apps.campaigns.models.Campaign.Status",
        "CallStatusEnum": "apps.calls.models.Call.Status",
    },
    "PREPROCESSING_HOOKS": [],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "apps.core.schema.add_error_envelope",
                             "apps.core.schema.required_in_patch",
                             "apps.core.schema.request_rules",
                             "apps.contacts.filter_schema.add_filter_schema",
                             "apps.developer.schema.public_api"],
}

# --- Email ------------------------------------------------------------------------------------
# Dev prints mails; with DEBUG off a backend that delivers nothing is refused (convonest.checks).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if _DEV_ONLY
                        else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
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
# Celery's Django fixup closes every database connection before and after each task unless this is set; then it
# closes them every 2 x this many tasks. convonest.celery closes them as Django does after a request instead
# (CONN_MAX_AGE, or broken): a new PostgreSQL session for each of the router's short tasks, a dozen a second in a
# campaign, cost a sixth of the machine.
CELERY_DB_REUSE_MAX = 1_000_000
# Redis redelivers a task not acked within the visibility timeout, and a countdown/ETA task is held unacked
# until it runs: the timeout must exceed the longest retry delay (media back-off: 3600 s) or such tasks run
# twice. It is also how long a task of a killed worker waits before another worker gets it (acks_late).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 3600)}
# A test run's worker must not take a dev worker's tasks (or the reverse) on a shared Redis.
CELERY_TASK_DEFAULT_QUEUE = CACHE_PREFIX if TESTING else "celery"
# One queue per workload, each consumed by its own pool of workers (docs/runbook.md, "Queues and workers"): a backlog
# of one (a campaign, a million-row import, a burst of inbound media) never delays another (Meta's webhooks, the
# inbox's sends), and each pool is sized for its kind of task. Everything else goes to the default queue. In tests
# the names carry the run's prefix, like the default queue.
WORKLOAD_QUEUES = {workload: f"{CELERY_TASK_DEFAULT_QUEUE}-{workload}" if TESTING else workload
                   for workload in ("routing", "sends", "campaigns", "imports", "media")}
CAMPAIGNS_QUEUE = WORKLOAD_QUEUES["campaigns"]
CELERY_TASK_ROUTES = {
    # Meta's webhooks, from the stored inbox into the businesses' schemas (tenants.ingress): short, latency first.
    "tenants.tasks.webhook_events_sweep": {"queue": WORKLOAD_QUEUES["routing"]},
    "tenants.tasks.webhook_event_route_task": {"queue": WORKLOAD_QUEUES["routing"]},
    "tenants.tasks.webhooks_replay_for_tenant": {"queue": WORKLOAD_QUEUES["routing"]},
    # The inbox's sends and read receipts (apps.messaging.outbox): one Graph call each, retried by countdown.
    "apps.messaging.tasks.message_send_task": {"queue": WORKLOAD_QUEUES["sends"]},
    "apps.messaging.tasks.conversation_mark_read_task": {"queue": WORKLOAD_QUEUES["sends"]},
    # Dispatchers run for CAMPAIGN_DISPATCH_SECONDS at a time (apps.campaigns.dispatcher).
    "apps.campaigns.tasks.campaign_dispatch_task": {"queue": CAMPAIGNS_QUEUE},
    # CSV imports (apps.contacts.imports): up to an hour, memory-heavy, read the file from the shared volume. A
    # business's export (apps.portability) is the same shape the other way: up to 1 h 50 min, writing to storage.
    "apps.contacts.tasks.contact_import_run": {"queue": WORKLOAD_QUEUES["imports"]},
    "apps.portability.tasks.business_export_task": {"queue": WORKLOAD_QUEUES["imports"]},
    # Inbound media downloads (apps.messaging.media): whole files from Meta's CDN, retried with back-off.
    "apps.messaging.tasks.message_media_download_task": {"queue": WORKLOAD_QUEUES["media"]},
}
CELERY_BEAT_SCHEDULE_FILENAME = env_str("CELERY_BEAT_SCHEDULE_FILENAME", str(REPO_DIR / ".data" / "celerybeat"))

# --- Secrets at rest --------------------------------------------------------------------------------
# Comma-separated Fernet keys: the first encrypts, all decrypt (rotation). See apps.core.crypto.
_DEV_ONLY_FERNET_KEY = "cXm6T3Z0cU1oTjR2bGJ3a2c0c2lVd0lYc0N6VDBaZ3E="
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEY", _DEV_ONLY_FERNET_KEY if _DEV_ONLY else "")

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
# A send left in `sending` with no answer and no status webhook for this long most likely never reached Meta:
# re-queued at most MESSAGE_RECONCILE_MAX_RESENDS times, then `unknown` for a person (no third copy).
MESSAGE_RECONCILE_AFTER_SECONDS = env_int("MESSAGE_RECONCILE_AFTER_SECONDS", 3600)
MESSAGE_RECONCILE_MAX_RESENDS = env_int("MESSAGE_RECONCILE_MAX_RESENDS", 1)
# A `queued` send idle this long lost its task (broker down after commit): enqueued again. Above the outbox's
# largest retry back-off (300 s).
MESSAGE_QUEUED_SWEEP_AFTER_SECONDS = env_int("MESSAGE_QUEUED_SWEEP_AFTER_SECONDS", 600)
# Campaigns (apps.campaigns): a dispatcher task runs this long, then hands over to a fresh one; its lease (one
# dispatcher per campaign) outlives a killed worker by at most CAMPAIGN_LEASE_SECONDS.
CAMPAIGN_DISPATCH_SECONDS = env_int("CAMPAIGN_DISPATCH_SECONDS", 45)
CAMPAIGN_LEASE_SECONDS = env_int("CAMPAIGN_LEASE_SECONDS", 10)
# Meta's prices per country and category, for campaign estimates and wholesale wallet charges
# (tenants/billing/rate_card.csv unless set; CAMPAIGN_RATE_CARD_PATH is its older name, still read).
RATE_CARD_PATH = env_str("RATE_CARD_PATH", "") or env_str("CAMPAIGN_RATE_CARD_PATH", "")
# A dispatcher sends each batch on a thread of its own while it prepares the next. Off in the test suite, whose
# tests run in one transaction that another connection can't see (the committed-data tests turn it on).
CAMPAIGN_PIPELINE = env_bool("CAMPAIGN_PIPELINE", not TESTING)
# Statuses held for a wamid we never learned (PendingStatus) are dropped after this many days.
PENDING_STATUS_RETENTION_DAYS = env_int("PENDING_STATUS_RETENTION_DAYS", 7)
# Tenant rows the hourly cleanup deletes in every business (tenants.retention): model label, its date field, and
# the setting holding the days to keep. Named here, so the control plane imports no tenant app.
TENANT_ROWS_RETENTION = [("messaging.PendingStatus", "created_at", "PENDING_STATUS_RETENTION_DAYS"),
                         ("developer.WebhookDelivery", "created_at", "OUTBOUND_WEBHOOK_RETENTION_DAYS")]
# Meta's webhook POSTs reach 3 MB; this endpoint reads its body with its own cap (the rest of the site keeps
# Django's DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB).
WEBHOOK_MAX_BODY_BYTES = env_int("WEBHOOK_MAX_BODY_BYTES", 5 * 1024 * 1024)
# Routing webhook events (tenants.ingress.claim): routers claim up to WEBHOOK_ROUTE_BATCH due events at a time and
# hold them by a lease (a router that dies leaves them to the next claim once it runs out); a router task runs at
# most WEBHOOK_ROUTER_RUN_SECONDS, then wakes a fresh one; the wake flag lets one task be published per wake
# (tenants.ingress.wake) and expires in case that task is lost. Failures back off exponentially, then `dead`.
WEBHOOK_ROUTE_BATCH = env_int("WEBHOOK_ROUTE_BATCH", 100)
WEBHOOK_ROUTE_LEASE_SECONDS = env_int("WEBHOOK_ROUTE_LEASE_SECONDS", 120)
WEBHOOK_ROUTER_RUN_SECONDS = env_int("WEBHOOK_ROUTER_RUN_SECONDS", 30)
WEBHOOK_ROUTER_WAKE_EXPIRY_SECONDS = env_int("WEBHOOK_ROUTER_WAKE_EXPIRY_SECONDS", 10)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 60)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 6 * 3600)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 12)
# Raw webhook bodies (customers' names, numbers, texts) are redacted this many hours after processing
# (0: at the next retention run); the sha256 stays, so Meta's redeliveries remain no-ops.
WEBHOOK_BODY_RETENTION_HOURS = env_int("WEBHOOK_BODY_RETENTION_HOURS", 72)
# Handled, unroutable and rejected webhook changes (and dead events' bodies) are deleted after this many days.
WEBHOOK_CHANGE_RETENTION_DAYS = env_int("WEBHOOK_CHANGE_RETENTION_DAYS", 30)
# The live inbox (SSE) is served by the events service (apps/messaging/events_asgi.py). A stream ends after
# about this long and the browser reconnects with Last-Event-ID, which re-checks the session and membership.
INBOX_STREAM_SECONDS = env_int("INBOX_STREAM_SECONDS", 300)
# Open streams at once, per person in a business and per business; more answer 429 with Retry-After.
INBOX_STREAMS_PER_PERSON = env_int("INBOX_STREAMS_PER_PERSON", 5)
INBOX_STREAMS_PER_BUSINESS = env_int("INBOX_STREAMS_PER_BUSINESS", 200)
INBOX_STREAM_RETRY_AFTER = env_int("INBOX_STREAM_RETRY_AFTER", 10)
# A stream's slot lease; refreshed while it runs, it runs out this long after its process died.
INBOX_STREAM_LEASE_SECONDS = float(env_str("INBOX_STREAM_LEASE_SECONDS", "45"))
# Threads (each with at most one database connection) that authorize new streams in the events service.
EVENTS_AUTH_THREADS = env_int("EVENTS_AUTH_THREADS", 4)
# Open streams one events-service process serves at once (each holds a Redis connection); more answer 503.
EVENTS_MAX_STREAMS = env_int("EVENTS_MAX_STREAMS", 2000)
# --- Outbound webhooks (apps/developer, docs/webhooks-outbound.md) ------------------------------------------
# Private, loopback, link-local and other non-public addresses may be webhook endpoints: dev and tests only (local
# receivers). Off by default in production (SSRF: an endpoint could otherwise reach our own network).
OUTBOUND_WEBHOOKS_ALLOW_PRIVATE = env_bool("OUTBOUND_WEBHOOKS_ALLOW_PRIVATE", _DEV_ONLY)
# `(host, port) -> [addresses]`: how endpoint hosts are resolved (tests inject one).
# The test suite resolves nothing but IP literals (no DNS from tests; the API fuzz invents host names).
OUTBOUND_WEBHOOKS_RESOLVER = env_str("OUTBOUND_WEBHOOKS_RESOLVER", "apps.developer.webhook_ssrf.offline_resolve"
                                     if TESTING else "apps.developer.webhook_ssrf.system_resolve")
# Seconds to wait after each failed attempt (±10 % jitter); after the last, the delivery is dead (~28 h by default).
OUTBOUND_WEBHOOK_RETRY_SCHEDULE = [int(s) for s in env_list(
    "OUTBOUND_WEBHOOK_RETRY_SCHEDULE", "60,300,1800,7200,18000,36000,36000")]
OUTBOUND_WEBHOOK_TIMEOUT_SECONDS = env_int("OUTBOUND_WEBHOOK_TIMEOUT_SECONDS", 10)
# A delivery being attempted is left alone this long (then it is due again: a worker died mid-request).
OUTBOUND_WEBHOOK_LEASE_SECONDS = env_int("OUTBOUND_WEBHOOK_LEASE_SECONDS", 120)
# An endpoint is disabled (owners mailed once) after this many failed attempts in a row spanning at least these hours.
OUTBOUND_WEBHOOK_DISABLE_AFTER_FAILURES = env_int("OUTBOUND_WEBHOOK_DISABLE_AFTER_FAILURES", 8)
OUTBOUND_WEBHOOK_DISABLE_AFTER_HOURS = env_int("OUTBOUND_WEBHOOK_DISABLE_AFTER_HOURS", 24)
# After a secret roll the old secret still signs (a second v1) this long.
OUTBOUND_WEBHOOK_SECRET_OVERLAP_HOURS = env_int("OUTBOUND_WEBHOOK_SECRET_OVERLAP_HOURS", 24)
OUTBOUND_WEBHOOK_MAX_ENDPOINTS = env_int("OUTBOUND_WEBHOOK_MAX_ENDPOINTS", 20)
# Deliveries (with their attempts and payloads, which hold customers' data) are deleted after this many days.
OUTBOUND_WEBHOOK_RETENTION_DAYS = env_int("OUTBOUND_WEBHOOK_RETENTION_DAYS", 30)

# --- Billing (tenants/billing, docs/billing.md) ---------------------------------------------------------
# Stripe through the official library; dev and tests point it at localstripe (`localstripe --port 8420`).
# The dev defaults are public test values: checks.py refuses them with DEBUG off.
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "http://127.0.0.1:8420" if DEBUG or TESTING else "https://api.stripe.com")
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "sk_test_convonest_placeholder" if DEBUG or TESTING else "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "whsec_convonest_placeholder" if DEBUG or TESTING else "")
STRIPE_TIMEOUT_SECONDS = env_int("STRIPE_TIMEOUT_SECONDS", 10)
# Days a business that stopped paying (past due, canceled, trial ended unpaid) keeps working before read-only.
BILLING_GRACE_DAYS = env_int("BILLING_GRACE_DAYS", 7)
# Plan limits are enforced (tenants.billing.limits.require_within). The root conftest turns this off for the
# suite and the billing tests turn it back on, so older tests never depend on a plan's numbers.
BILLING_ENFORCE_LIMITS = env_bool("BILLING_ENFORCE_LIMITS", True)

# --- Business export and deletion (apps.portability, tenants.deletion_schedule; docs/data-export-and-deletion.md) ---
# Days between an owner's request to delete the business and its deletion (schema, media, streams, routes); any
# owner can cancel meanwhile, and the business keeps working.
DELETION_GRACE_DAYS = env_int("DELETION_GRACE_DAYS", 14)
# Hours a finished business export can be downloaded; then its file is deleted.
BUSINESS_EXPORT_RETENTION_HOURS = env_int("BUSINESS_EXPORT_RETENTION_HOURS", 72)

# --- Demo data (make dev) ------------------------------------------------------------------------
DEMO_TENANT_SLUG = env_str("DEMO_TENANT_SLUG", "demo")
DEMO_EMAIL = env_str("DEMO_EMAIL", "owner@demo.localhost")
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "convonest-demo")
# Contacts in the demo's segment "Demo audience" (a campaign to try); 0: none. The demo tries a plan that holds them.
DEMO_AUDIENCE_SIZE = env_int("DEMO_AUDIENCE_SIZE", 0 if TESTING else 10_000)

# --- Static, i18n, logging ----------------------------------------------------------------------
# Uploaded files (contact imports now, media later). Web and worker processes must share it.
MEDIA_ROOT = env_str("MEDIA_ROOT", str(REPO_DIR / ".data" / "media"))
CONTACT_IMPORT_MAX_BYTES = env_int("CONTACT_IMPORT_MAX_BYTES", 100 * 1024 * 1024)
STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / ".data" / "static"
# File storage: local (MEDIA_ROOT, STATIC_ROOT) in dev and tests; S3-compatible (django-storages) when a bucket is
# named, which a deployment with more than one machine needs (docs/runbook.md): message media under media/
# (private, only ever streamed through the API, signed URLs), static files under static/ (public, or a CDN domain).
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY come from the environment (or the pod's cloud identity).
S3_BUCKET = env_str("AWS_STORAGE_BUCKET_NAME", "") or env_str("S3_BUCKET", "")
if S3_BUCKET:
    _S3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,  # MinIO, R2, Spaces...; unset: AWS
        "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
        "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "") or None,  # "path" for most S3-compatible servers
        "signature_version": "s3v4",
        "default_acl": None,  # the bucket's own policy decides
    }
    STORAGES = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            **_S3, "location": env_str("AWS_MEDIA_LOCATION", "media"), "file_overwrite": False,
            "querystring_auth": True, "querystring_expire": 300}},
        "staticfiles": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            **_S3, "location": env_str("AWS_STATIC_LOCATION", "static"), "file_overwrite": True,
            "querystring_auth": False, "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN", "") or None}},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# docs/observability.md: JSON lines with the request id, business and task id in production, plain in DEBUG.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"tenant": {"()": "django_tenants.log.TenantContextFilter"},
                "context": {"()": "convonest.observability.logs.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(schema_name)s] %(name)s: %(message)s"},
        "json": {"()": "convonest.observability.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["tenant", "context"],
                             "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},  # logs every request URL at INFO
        "httpcore": {"level": "WARNING"},
    },
}

# --- observability (docs/observability.md) ---------------------------------------------------------------
# GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; empty turns /metrics off (404).
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
SENTRY_DSN = env_str("SENTRY_DSN", "")  # errors of web and workers to Sentry (or a compatible server); empty: off
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "development" if DEBUG else "production")
SENTRY_TRACES_SAMPLE_RATE = float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0"))
if SENTRY_DSN:
    from convonest.observability.sentry import sentry_start

    sentry_start(SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE)
