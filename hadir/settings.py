"""Settings, read from the environment. Defaults make a fresh checkout run on SQLite.

Environment variables (all optional):
  HADIR_VAR_DIR        where state lives (SQLite file, secret key); default ./var
  DATABASE_URL         e.g. postgres://user@127.0.0.1:5432/hadir; default sqlite:///<var>/hadir.sqlite3
  HADIR_SECRET_KEY     Django secret key; default generated once into <var>/secret_key
  HADIR_SECRET_KEY_FILE  read the secret key from this file instead
  HADIR_TIME_ZONE      the regency's time zone; default Asia/Jakarta (WIB)
  HADIR_DEBUG          1 to enable Django debug mode; default 0
  HADIR_ALLOWED_HOSTS  comma-separated; default 127.0.0.1,localhost
  HADIR_PUBLIC_URL     the server's public address, printed on activation sheets
  HADIR_LOGIN_MAX_FAILURES   failed logins of an account before its logins are delayed (5)
  HADIR_HTTPS          1 behind a TLS proxy: secure cookies, HSTS, SSL redirect, proxy headers
  HADIR_TRUST_PROXY    1 to take the client address from X-Forwarded-For (implied by HADIR_HTTPS)
  HADIR_TRUSTED_PROXIES  comma-separated peers whose X-Forwarded-For counts; default loopback
  HADIR_EVENTS_RATE_ADDRESS / _RATE_REFUSED / _RATE_KEY  check-in rate limits (see below)
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


VAR_DIR = Path(os.environ.get("HADIR_VAR_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    if key := os.environ.get("HADIR_SECRET_KEY"):
        return key
    if path := os.environ.get("HADIR_SECRET_KEY_FILE"):
        return Path(path).read_text().strip()
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("HADIR_DEBUG")
ALLOWED_HOSTS = os.environ.get("HADIR_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
# The address employees and office screens reach this server at (printed on activation sheets).
PUBLIC_URL = os.environ.get("HADIR_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("HADIR_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Production behind a TLS proxy (README: "Production"): one switch for every HTTPS setting.
HTTPS = env_bool("HADIR_HTTPS")
HADIR_TRUST_PROXY = HTTPS or env_bool("HADIR_TRUST_PROXY")
if HTTPS:
    # The proxy terminates TLS and says so in X-Forwarded-Proto (README's nginx block sets it;
    # the server must listen only on 127.0.0.1 or behind the proxy, or the header is forgeable).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]  # probed on the server's own port
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("HADIR_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HADIR_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HADIR_HSTS_PRELOAD", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "hadir.core",
    "ninja",  # serves /api/v1/docs from its bundled Swagger UI, not from a CDN
    "hadir.org",
    "hadir.checkin",
    "hadir.attendance",
    "hadir.fraud",
    "hadir.pwa",
    "hadir.notify",
    "hadir.jobs",
    "hadir.supervise",
    "hadir.cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hadir.core.middleware.DefaultLanguageMiddleware",
    "hadir.core.middleware.ApiErrorMiddleware",
    "hadir.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hadir.org.scope.ScopeCacheMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hadir.org.audit.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "hadir.urls"
WSGI_APPLICATION = "hadir.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'hadir.sqlite3'}"
# Connections are kept a short while and checked before reuse, and a request that met a database
# error closes its connection (hadir.core.middleware): the server recovers by itself when the
# database comes back, without a restart.
CONN_MAX_AGE = env_int("HADIR_CONN_MAX_AGE", 30)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a check-in is written; IMMEDIATE avoids lock upgrade deadlocks;
    # synchronous=FULL makes an acknowledged check-in survive a power cut (NORMAL would not).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
        "PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = (
        os.environ.get("HADIR_TEST_SQLITE_NAME", "") or None
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["hadir.org.auth.ThrottledModelBackend"]
# Growing delays after failed logins, never a lock (hadir/domain/login_throttle.py): per account
# after LOGIN_MAX_FAILURES failures, first delay doubling up to a minute; per address after
# LOGIN_ADDRESS_FREE_FAILURES failures (any accounts), doubling up to a quarter of an hour.
LOGIN_MAX_FAILURES = env_int("HADIR_LOGIN_MAX_FAILURES", 5)
LOGIN_FIRST_DELAY_S = env_int("HADIR_LOGIN_FIRST_DELAY_S", 5)
LOGIN_ACCOUNT_MAX_DELAY_S = env_int("HADIR_LOGIN_ACCOUNT_MAX_DELAY_S", 60)
LOGIN_ADDRESS_FREE_FAILURES = env_int("HADIR_LOGIN_ADDRESS_FREE_FAILURES", 20)
LOGIN_ADDRESS_MAX_DELAY_S = env_int("HADIR_LOGIN_ADDRESS_MAX_DELAY_S", 900)
# API tokens: a short access token, renewed with a refresh token (POST /api/v1/auth/refresh).
API_ACCESS_TOKEN_MINUTES = env_int("HADIR_API_ACCESS_TOKEN_MINUTES", 60)
API_REFRESH_TOKEN_DAYS = env_int("HADIR_API_REFRESH_TOKEN_DAYS", 30)
LOGIN_URL = "/admin/login/"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("HADIR_TIME_ZONE", "Asia/Jakarta")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Map tiles behind the flag review's map (Leaflet): a tile server URL template such as
# https://tile.example.go.id/{z}/{x}/{y}.png and its attribution. Empty: no tiles; the geofence
# and the fixes are drawn on a blank background (no request leaves for a third party).
MAP_TILE_URL = os.environ.get("HADIR_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("HADIR_MAP_TILE_ATTRIBUTION", "")

# How notifications leave Hadir (hadir/notify/senders.py); each is tried for each notification.
NOTIFY_SENDERS = ["hadir.notify.senders.LogSender", "hadir.pwa.push.WebPushSender"]

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The events endpoint's front door (hadir/checkin/frontdoor.py). Rates are "requests/seconds"
# (a burst of that many, refilled over that many seconds) or "off"; counted for the whole
# server, all of `hadir serve`'s processes together (hadir/core/rate_table.py). An office behind
# one NAT sends its whole morning from one address.
EVENTS_RATE_PER_ADDRESS = os.environ.get("HADIR_EVENTS_RATE_ADDRESS", "600/60")
EVENTS_REFUSED_RATE_PER_ADDRESS = os.environ.get("HADIR_EVENTS_RATE_REFUSED", "30/60")
EVENTS_RATE_PER_KEY = os.environ.get("HADIR_EVENTS_RATE_KEY", "60/3600")
# Peers whose X-Forwarded-For names the caller, for the login throttle and the events front
# door (hadir/core/client_address.py); with HADIR_TRUST_PROXY every peer is.
TRUSTED_PROXIES = (
    os.environ.get("HADIR_TRUSTED_PROXIES")
    or os.environ.get("HADIR_EVENTS_TRUSTED_PROXIES")  # its earlier name
    or "127.0.0.1,::1"
).split(",")
# Requests that failed authentication: counted per source (at most this many sources, then one
# overflow row), and a sample of their bodies in this many slots of this many bytes.
FRONT_DOOR_MAX_TALLIES = env_int("HADIR_FRONT_DOOR_MAX_TALLIES", 5000)
FRONT_DOOR_SAMPLES = env_int("HADIR_FRONT_DOOR_SAMPLES", 200)
FRONT_DOOR_SAMPLE_BYTES = 2048

# Signed checkpoints of the evidence chain (hadir/checkin/checkpoints.py): the signing key lives
# outside the database; keep a copy of its public key (and of the log) off this machine.
CHAIN_CHECKPOINT_KEY_FILE = os.environ.get("HADIR_CHECKPOINT_KEY_FILE") or str(
    VAR_DIR / "checkpoint_key.pem"
)
CHAIN_CHECKPOINT_LOG = os.environ.get("HADIR_CHECKPOINT_LOG") or str(VAR_DIR / "checkpoints.jsonl")

# Location details of check-ins (coordinates, body) are removed after this many days by the
# remove_old_locations job; outcomes and the evidence chain stay.
LOCATION_RETENTION_DAYS = env_int("HADIR_LOCATION_RETENTION_DAYS", 730)

# Web Push for the employee app: the VAPID key is generated once, like the secret key.
VAPID_PRIVATE_KEY_FILE = os.environ.get("HADIR_VAPID_PRIVATE_KEY_FILE") or str(
    VAR_DIR / "vapid_private.pem"
)
VAPID_SUBJECT = os.environ.get("HADIR_VAPID_SUBJECT", "mailto:admin@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HADIR_LOG_LEVEL", "WARNING")},
}
