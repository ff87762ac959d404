"""Forum Desk settings: one module, everything that differs between machines comes from the
environment. Development defaults are safe; production (DEBUG off) refuses weak secrets."""

import os
from email.utils import parseaddr
from fractions import Fraction
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit() or int(value) < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of at least {minimum}, not {value!r}."
        )
    return int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off, set SECRET_KEY to a random string of at "
            "least 50 characters, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "development-only-key-never-use-in-production-0123456789abcdef"
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use a random string of at least 50 characters."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The name the site signs its e-mails and pages with.
SITE_NAME = "Forum Desk"
# The association that runs the forums, as news drafts and reports name it.
ASSOCIATION_NAME = os.environ.get("ASSOCIATION_NAME", "").strip() or "AIM-PROGRESS"

INSTALLED_APPS = [
    # Texts the secretariat writes for participants, in every language of LANGUAGES (each app's
    # translation.py); before the admin, as modeltranslation's admin integration needs.
    "modeltranslation",
    # Django's admin, asking for the secretariat's second factor (accounts/admin_site.py).
    "accounts.admin_site.SecretariatAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below); its system checks.
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_countries",
    "import_export",
    "audit",
    "django_tasks",
    "django_tasks_db",
    "outbox",
    "accounts",
    "forums",
    "companies",
    "workshops",
    "registrations",
    "attendance",
    "feedback",
    "reports",
    "demo",
    "desk",
    "privacy",
    # Last: its admin module assembles the admin pages several apps contribute to.
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside every middleware that answers on its own, so that their pages carry the policy too.
    "csp.middleware.CSPMiddleware",
    # Outside every middleware that answers on its own (NUL, CSRF, second factor), so that their
    # answers are private too; inside WhiteNoise, whose static files may be kept.
    "config.cache_control.PrivateUnlessPublicMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.params.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "desk.context.desk",
            ],
        },
    },
]

# Database: DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/forumdesk. Default: SQLite.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing
    # with "database is locked" half-way through a registration.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # Tests run threads against the database; an in-memory SQLite database is not shared
    # between threads, a file is.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: allauth's rate limits count in the cache, so production needs a shared one (Redis).
CACHE_URL = os.environ.get("REDIS_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The home page and forum pages, as shown to visitors who are not logged in, are kept in the
# cache (forums/cache.py). Each change drops them from the cache every process reads, so with
# several processes that cache must be shared: on by default with REDIS_URL, or in development
# (one process).
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", bool(CACHE_URL) or DEBUG)

# The public registration form, per client address, counted in the cache above (django-ratelimit
# rates: "10/h", "25/7d"). The second limit is per forum, so no one client can take its seats.
# Feedback figures that facilitators and sponsors see are held back below this many answers,
# or below this share of the forum's attendees (a decimal from 0 to 1); the secretariat sees all.
FEEDBACK_MIN_ANSWERS = env_int("FEEDBACK_MIN_ANSWERS", 5)
FEEDBACK_MIN_SHARE = os.environ.get("FEEDBACK_MIN_SHARE") or "0.2"
try:
    if not 0 <= Fraction(FEEDBACK_MIN_SHARE) <= 1:
        raise ValueError(FEEDBACK_MIN_SHARE)
except (ValueError, ZeroDivisionError) as error:
    raise ImproperlyConfigured(
        f"FEEDBACK_MIN_SHARE must be a decimal from 0 to 1, not {FEEDBACK_MIN_SHARE!r}."
    ) from error

REGISTRATION_RATE_LIMIT_ENABLED = env_bool("REGISTRATION_RATE_LIMIT_ENABLED", True)
REGISTRATION_RATE_LIMIT = os.environ.get("REGISTRATION_RATE_LIMIT", "10/h")
REGISTRATION_FORUM_RATE_LIMIT = os.environ.get("REGISTRATION_FORUM_RATE_LIMIT", "25/7d")

# The client's address, for every rate limit per client: allauth's (failed logins, sign-ups,
# password resets) and the registration form's (django-ratelimit). Behind a reverse proxy every
# request comes from the proxy's address, so 10 wrong logins would lock everyone out: the
# proxy tells the client's either in a header of its own, named by
# ALLAUTH_TRUSTED_CLIENT_IP_HEADER (e.g. X-Real-IP), or by appending it to X-Forwarded-For,
# read through ALLAUTH_TRUSTED_PROXY_COUNT (the number of proxies you run). Neither: the
# connection's own address. RATELIMIT_IP_META_KEY=HTTP_X_REAL_IP, as documented before, names
# the same header as ALLAUTH_TRUSTED_CLIENT_IP_HEADER=X-Real-IP.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("ALLAUTH_TRUSTED_CLIENT_IP_HEADER") or None
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
_client_ip_meta_key = os.environ.get("RATELIMIT_IP_META_KEY") or None
if _client_ip_meta_key:
    if not _client_ip_meta_key.startswith("HTTP_"):
        raise ImproperlyConfigured(
            f"RATELIMIT_IP_META_KEY must name a request header (HTTP_X_REAL_IP), not "
            f"{_client_ip_meta_key!r}."
        )
    _header = _client_ip_meta_key.removeprefix("HTTP_").replace("_", "-")
    if ALLAUTH_TRUSTED_CLIENT_IP_HEADER and (
        ALLAUTH_TRUSTED_CLIENT_IP_HEADER.lower() != _header.lower()
    ):
        raise ImproperlyConfigured(
            f"RATELIMIT_IP_META_KEY ({_client_ip_meta_key}) and ALLAUTH_TRUSTED_CLIENT_IP_HEADER "
            f"({ALLAUTH_TRUSTED_CLIENT_IP_HEADER}) name different headers: set only the second."
        )
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER = ALLAUTH_TRUSTED_CLIENT_IP_HEADER or _header
if ALLAUTH_TRUSTED_CLIENT_IP_HEADER and ALLAUTH_TRUSTED_PROXY_COUNT:
    # allauth would read the header and ignore the count without a word.
    raise ImproperlyConfigured(
        "Set ALLAUTH_TRUSTED_CLIENT_IP_HEADER or ALLAUTH_TRUSTED_PROXY_COUNT, not both."
    )


def _client_ip(request) -> str:
    """The client's address as allauth reads it, so that both rate limits count the same
    client. A request without the configured header answers 403, as allauth's own pages do."""
    from allauth.account.adapter import get_adapter  # the apps are not loaded yet here

    return get_adapter(request).get_client_ip(request)


RATELIMIT_IP_META_KEY = _client_ip

# Check-in is open on a forum's day(s), midnight to midnight in the forum's zone, widened by
# this many hours on each side; a door helper's grant ends when it closes.
CHECKIN_MARGIN_HOURS = env_int("CHECKIN_MARGIN_HOURS", 6)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth's e-mails go through the outbox (see accounts/adapter.py), signed with SITE_NAME.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Tell people when their password, e-mail address or two-factor settings change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("ACCOUNT_RATE_LIMITS_ENABLED", True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# How long the link in an invitation to set a password works (accounts/services.py).
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)
# Secretariat accounts must set up two-factor authentication before using staff pages.
STAFF_REQUIRE_MFA = env_bool("STAFF_REQUIRE_MFA", not DEBUG)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# English is what every translated text falls back to when its Spanish is left empty.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# The forum's dates as a reader of each language writes them ("16 March 2027", "16 de marzo de
# 2027"), by the names config/formats/<language>/formats.py gives them.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# E-mail: with EMAIL_HOST set, SMTP; otherwise each message is written to var/mail/ as an
# .eml file that a mail program opens. EMAIL_BACKEND, if set, names another backend.
# Mail is sent in the association's name (and signed with it: forums/templatetags/branding.py).
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f'"{ASSOCIATION_NAME}" <forums@forumdesk.example>'
)
# Where people whose invitation link expired are told to ask for a new one.
SECRETARIAT_EMAIL = os.environ.get("SECRETARIAT_EMAIL") or parseaddr(DEFAULT_FROM_EMAIL)[1]
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_FILE_PATH = VAR_DIR / "mail"
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
else:
    EMAIL_BACKEND = "config.mail.EmlFileBackend"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or EMAIL_BACKEND
# Every e-mail waits in the outbox (outbox.OutgoingEmail) until it has gone. A worker
# sending one holds it for OUTBOX_LEASE_SECONDS, which must be longer than a send can take
# (several EMAIL_TIMEOUTs); a message whose lease ran out, or that waited that long without
# a worker taking it, is queued again by the sweep, every OUTBOX_SWEEP_SECONDS.
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 600, minimum=1)
OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 60, minimum=1)
# What that sweep runs, in order, each on its own: the outbox's lost messages, and the public
# form's stored submissions whose task was lost (registrations.services).
WORKER_SWEEPS = [
    "outbox.services.outbox_requeue",
    "registrations.services.registration_submissions_requeue",
    "privacy.services.retention_sweep",
]

# Participants whose every forum started longer ago than this are erased by the daily sweep
# (privacy.services.retention_sweep) and by `manage.py retention`.
PERSONAL_DATA_RETENTION_YEARS = env_int("PERSONAL_DATA_RETENTION_YEARS", 5)

# Background work (django-tasks). The queue lives in the database; `manage.py worker` runs it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
# What one imported list may hold (registrations.spreadsheets.Limits): far more than any
# attendance list, far less than a hostile file would make the server read.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 50)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 1_000)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024

# HTTPS. In production (DEBUG off) the site is served over HTTPS only, behind a proxy that ends
# TLS and says so in X-Forwarded-Proto (deploy/nginx.conf); `make demo` serves plain HTTP on
# 127.0.0.1 with DEBUG on, where none of this applies unless asked for.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# Browsers remember HSTS for this many seconds, and refuse plain HTTP to the host meanwhile:
# off (0) until set, since it cannot be taken back before it runs out.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True


def env_proxy_ssl_header(name: str, default: str) -> tuple[str, str] | None:
    """A request header and the value that marks a request the proxy received over HTTPS,
    written "X-Forwarded-Proto: https"; "" or "none" trusts no header."""
    value = os.environ.get(name, default).strip()
    if value.lower() in {"", "none"}:
        return None
    header, colon, marker = value.partition(":")
    if not colon or not header.strip() or not marker.strip():
        raise ImproperlyConfigured(
            f"{name} must be a header and a value, like 'X-Forwarded-Proto: https', or 'none', "
            f"not {value!r}."
        )
    return "HTTP_" + header.strip().upper().replace("-", "_"), marker.strip()


# Only where a proxy sets this header itself, replacing any the client sent.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header(
    "SECURE_PROXY_SSL_HEADER", "none" if DEBUG else "X-Forwarded-Proto: https"
)

# Content-Security-Policy on every answer (django-csp): scripts only from the site's own static
# files, never inline, so an injected <script> or onclick= does not run. Inline style
# attributes are allowed (style-src-attr): Django's admin, allauth and django-import-export
# templates use a few; <style> elements are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        # The admin previews the signature and logo it stores as data: URLs.
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
