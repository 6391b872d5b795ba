"""Gazette's settings: one module, and the environment decides.

Every variable read here is documented in the README. Safe defaults let a newcomer
run `make run` on a laptop; a deployment sets DATABASE_URL, REDIS_URL, SECRET_KEY,
ALLOWED_HOSTS and GAZETTE_HTTPS.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.urls import reverse_lazy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GAZETTE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


def web_origin(url: str) -> list[str]:
    """The scheme and host of an absolute address, for a policy's source list."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    return [f"{scheme}://{host}"] if scheme in {"http", "https"} and host else []


def read_or_create_secret_key(path: Path) -> str:
    """Keep a generated key under var/ so sessions survive restarts; never commit it."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(64)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY") or read_or_create_secret_key(
    VAR_DIR / "secret_key"
)
DEBUG = env_flag("GAZETTE_DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "gazette.accounts",
    "gazette.newsroom",
    "gazette.discussion",
    "gazette.wire",
    "gazette.weather",
    "gazette.search",
    "gazette.edition",
    "gazette.pagecache",
    "gazette",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # Outermost: it sees the finished page, headers and all (gazette/pagecache).
    "gazette.pagecache.middleware.PageCacheMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After, not a
    # traceback (gazette/outages.py; handler500 covers the other middleware).
    "gazette.outages.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gazette.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gazette.urls"
WSGI_APPLICATION = "gazette.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gazette.context_processors.publication",
            ],
        },
    },
]

# Storage: SQLite under var/ by default, tuned for a web server with several
# workers (WAL, writers queue on BEGIN IMMEDIATE instead of failing mid-way, for
# at most the busy timeout; then the writer gets a 503, gazette/outages.py);
# PostgreSQL through DATABASE_URL.
GAZETTE_SQLITE_BUSY_SECONDS = float(os.environ.get("GAZETTE_SQLITE_BUSY_SECONDS", "20"))
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": GAZETTE_SQLITE_BUSY_SECONDS,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        f"PRAGMA busy_timeout={int(GAZETTE_SQLITE_BUSY_SECONDS * 1000)};"
    ),
}
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gazette.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's, with its kept connection dropped when the file is replaced.
    DATABASES["default"]["ENGINE"] = "gazette.db.sqlite3"
    # Tests run in memory, as on Django's own engine (which pytest-django knows
    # by name; it would make a file name of the path for each test process).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
    DATABASES["default"]["OPTIONS"] = {
        **SQLITE_OPTIONS,
        **DATABASES["default"].get("OPTIONS", {}),
    }
else:
    # A server that does not answer costs a request this long, then the 503
    # page, instead of holding a worker until the operating system gives up.
    # An option in DATABASE_URL (?connect_timeout=) wins.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": int(os.environ.get("GAZETTE_DATABASE_CONNECT_TIMEOUT", "5")),
        **DATABASES["default"].get("OPTIONS", {}),
    }

# Each worker keeps its connection a minute rather than opening one a request
# (on SQLite that was a third of a signed-in page), checked before each reuse.
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: per process by default; Redis when several app processes share the work.
# Anonymous readers' pages live in "pages" (gazette/pagecache): in Redis, or in
# files under var/ that every process of one machine shares, purges included.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "gazette",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "gazette-pages",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "gazette",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache" / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
# The full-page cache for anonymous readers: how long a page lives at most, and
# how often the discussion may purge one story (a reader never sees a page older
# than that after a change; a scheduled story appears within the first).
GAZETTE_PAGE_CACHE = env_flag("GAZETTE_PAGE_CACHE", default=True)
GAZETTE_PAGE_CACHE_SECONDS = int(os.environ.get("GAZETTE_PAGE_CACHE_SECONDS", "300"))
GAZETTE_PAGE_CACHE_DEBOUNCE_SECONDS = int(
    os.environ.get("GAZETTE_PAGE_CACHE_DEBOUNCE_SECONDS", "5")
)
# How long a process reuses what it last read of a page and its purges (another
# server's purge reaches it that much later).
GAZETTE_PAGE_CACHE_LOCAL_SECONDS = float(
    os.environ.get("GAZETTE_PAGE_CACHE_LOCAL_SECONDS", "1")
)

AUTH_USER_MODEL = "accounts.User"
# The reader read with a written-out query (gazette/accounts/backends.py);
# Django's own stays for the sessions begun under it.
AUTHENTICATION_BACKENDS = [
    "gazette.accounts.backends.ReaderBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Background work (mail, edition builds, wire polling, weather) runs in
# `gazette worker`, which `gazette serve` starts beside the web workers.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "GAZETTE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        )
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Readers' accounts (gazette.accounts). Readers sign in on the site's own page;
# the back office keeps Django's admin sign-in.
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "newsroom:home"
# Password-reset links work once, for this many seconds: an hour at most by
# default (security battery, item 5), and at most one is mailed to an address
# every GAZETTE_PASSWORD_RESET_MAIL_MINUTES.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("GAZETTE_PASSWORD_RESET_SECONDS", "3600"))
GAZETTE_PASSWORD_RESET_MAIL_MINUTES = int(
    os.environ.get("GAZETTE_PASSWORD_RESET_MAIL_MINUTES", "10")
)
GAZETTE_VERIFICATION_LINK_DAYS = int(
    os.environ.get("GAZETTE_VERIFICATION_LINK_DAYS", "7")
)
GAZETTE_DELETED_ACCOUNT_COMMENTS = os.environ.get(
    "GAZETTE_DELETED_ACCOUNT_COMMENTS", "anonymise"
)
GAZETTE_RESERVED_NAMES = os.environ.get(
    "GAZETTE_RESERVED_NAMES",
    "admin,administrator,editor,mod,moderator,newsroom,official,reporter,staff,support",
)
# Rate limits, counted in the cache (shared between processes with REDIS_URL).
GAZETTE_SIGN_IN_RATE = os.environ.get("GAZETTE_SIGN_IN_RATE", "5/15m")
GAZETTE_SIGN_IN_IP_RATE = os.environ.get("GAZETTE_SIGN_IN_IP_RATE", "30/15m")
GAZETTE_SIGN_UP_RATE = os.environ.get("GAZETTE_SIGN_UP_RATE", "10/1h")
GAZETTE_ACCOUNT_MAIL_RATE = os.environ.get("GAZETTE_ACCOUNT_MAIL_RATE", "3/1h")
GAZETTE_PROXY_COUNT = int(os.environ.get("GAZETTE_PROXY_COUNT", "0"))

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("GAZETTE_TIME_ZONE", "Pacific/Honolulu")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("GAZETTE_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("GAZETTE_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Before collectstatic has run (tests, a fresh checkout) fall back to plain names.
WHITENOISE_MANIFEST_STRICT = False

# Mail: printed to the console unless an SMTP server is configured.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Gazette <newsroom@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers everywhere; TLS-only settings when the deployment says so.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's database sessions, read with one written-out query (accounts/sessions.py).
SESSION_ENGINE = "gazette.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if env_flag("GAZETTE_HTTPS"):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]

# Content-Security-Policy (django-csp; README, "Security"). A script runs only
# when it carries the nonce of the response it came in, so markup that slipped
# into a page runs nothing, not even a script of the site's own; htmx needs no
# eval and injects no styles (its htmx-config meta tag in base.html). Styles and
# fonts come from the site, images from the site, data: addresses and the
# origins named below; no plugins, no <base>, no framing; forms post only here.
GAZETTE_IMAGE_SOURCES = env_list("GAZETTE_IMAGE_SOURCES", "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [NONCE],
        "style-src": [SELF],
        "img-src": [
            SELF,
            "data:",
            *web_origin(MEDIA_URL),
            *web_origin(os.environ.get("GAZETTE_LOGO_URL", "")),
            *GAZETTE_IMAGE_SOURCES,
        ],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "report-uri": [reverse_lazy("csp_report")],
        "upgrade-insecure-requests": env_flag("GAZETTE_HTTPS"),
    },
}
# The back office is Django's admin, whose templates load their scripts (theme,
# sidebar, form widgets, the JavaScript catalogue) by address without a nonce:
# there, scripts from the site's own origin run too. Still no inline script and
# no eval.
GAZETTE_BACK_OFFICE_CSP = {"script-src": [SELF]}
# Browsers' reports of what the policy blocked are logged, this many a minute.
GAZETTE_CSP_REPORTS_PER_MINUTE = int(
    os.environ.get("GAZETTE_CSP_REPORTS_PER_MINUTE", "30")
)

# Every line says when; no line carries a password, a token from an address or
# a session or CSRF cookie's value (gazette/logs.py, README "Reliability").
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {
        "redact_secrets": {"()": "gazette.logs.RedactSecrets"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "gazette": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# The paper itself.
GAZETTE_PUBLICATION_NAME = os.environ.get(
    "GAZETTE_PUBLICATION_NAME", "Honolulu Star-Advertiser"
)
GAZETTE_LOGO_URL = os.environ.get("GAZETTE_LOGO_URL", "")
GAZETTE_DATELINE_SEPARATOR = os.environ.get("GAZETTE_DATELINE_SEPARATOR", ">>")
GAZETTE_SERVE_MEDIA = env_flag("GAZETTE_SERVE_MEDIA", default=True)
GAZETTE_FRONT_STORIES_PER_SECTION = int(
    os.environ.get("GAZETTE_FRONT_STORIES_PER_SECTION", "5")
)
GAZETTE_SECTION_PAGE_SIZE = int(os.environ.get("GAZETTE_SECTION_PAGE_SIZE", "20"))
GAZETTE_SEARCH_PAGE_SIZE = int(os.environ.get("GAZETTE_SEARCH_PAGE_SIZE", "10"))
# Feeds and discovery: stories per feed, the language Google News is told, and
# how many days of stories the News sitemap lists (Google reads two).
GAZETTE_FEED_SIZE = int(os.environ.get("GAZETTE_FEED_SIZE", "30"))
GAZETTE_PUBLICATION_LANGUAGE = os.environ.get("GAZETTE_PUBLICATION_LANGUAGE", "en")
GAZETTE_NEWS_SITEMAP_DAYS = int(os.environ.get("GAZETTE_NEWS_SITEMAP_DAYS", "2"))
GAZETTE_IMPORT_MAX_BYTES = int(os.environ.get("GAZETTE_IMPORT_MAX_BYTES", "5000000"))
# Wire ingest: feeds polled in the background (README, "Importing").
GAZETTE_WIRE_POLL_SECONDS = int(os.environ.get("GAZETTE_WIRE_POLL_SECONDS", "60"))
GAZETTE_WIRE_FETCH_TIMEOUT = int(os.environ.get("GAZETTE_WIRE_FETCH_TIMEOUT", "20"))
# Feed and import addresses on loopback, private networks or the site itself
# are refused: by default wherever the site runs behind TLS (a deployment), and
# allowed on a laptop, where the demo and tests serve feeds from 127.0.0.1.
GAZETTE_WIRE_REFUSE_PRIVATE_URLS = env_flag(
    "GAZETTE_WIRE_REFUSE_PRIVATE_URLS", default=env_flag("GAZETTE_HTTPS")
)
# Weather in the masthead and on /weather/ (gazette/weather): the service ("nws",
# the US National Weather Service, or "open-meteo" anywhere), the NWS station and
# the point forecast for, the unit shown (F or C), the User-Agent the NWS asks
# callers to identify themselves with, the services' base URLs, how often the
# worker refreshes (held between 600 and 900 seconds) and how long it waits.
GAZETTE_WEATHER_PROVIDER = os.environ.get("GAZETTE_WEATHER_PROVIDER", "nws")
GAZETTE_WEATHER_STATION = os.environ.get("GAZETTE_WEATHER_STATION", "PHNL")
GAZETTE_WEATHER_LATITUDE = float(os.environ.get("GAZETTE_WEATHER_LATITUDE", "21.3069"))
GAZETTE_WEATHER_LONGITUDE = float(
    os.environ.get("GAZETTE_WEATHER_LONGITUDE", "-157.8583")
)
GAZETTE_WEATHER_UNIT = os.environ.get("GAZETTE_WEATHER_UNIT", "F")
GAZETTE_WEATHER_USER_AGENT = os.environ.get(
    "GAZETTE_WEATHER_USER_AGENT", "(Gazette, newsroom@example.com)"
)
GAZETTE_WEATHER_NWS_URL = os.environ.get(
    "GAZETTE_WEATHER_NWS_URL", "https://api.weather.gov"
)
GAZETTE_WEATHER_OPEN_METEO_URL = os.environ.get(
    "GAZETTE_WEATHER_OPEN_METEO_URL", "https://api.open-meteo.com"
)
GAZETTE_WEATHER_REFRESH_SECONDS = int(
    os.environ.get("GAZETTE_WEATHER_REFRESH_SECONDS", "720")
)
GAZETTE_WEATHER_TIMEOUT = float(os.environ.get("GAZETTE_WEATHER_TIMEOUT", "5"))

# Today's Paper (gazette/edition): the day's edition on the web and as a print
# PDF. Whether only signed-in readers may open it (pages and PDF), as papers do
# with their e-editions; the hour, in the paper's time zone, at which the worker
# builds the day's PDF; how long after a change to a story in a built edition its
# rebuild waits (one rebuild for a burst of changes); and the edition line under
# the front page's nameplate.
GAZETTE_EDITION_SIGNED_IN_ONLY = env_flag("GAZETTE_EDITION_SIGNED_IN_ONLY")
GAZETTE_EDITION_BUILD_HOUR = int(os.environ.get("GAZETTE_EDITION_BUILD_HOUR", "5"))
GAZETTE_EDITION_REBUILD_DELAY_SECONDS = int(
    os.environ.get("GAZETTE_EDITION_REBUILD_DELAY_SECONDS", "120")
)
GAZETTE_EDITION_LINE = os.environ.get("GAZETTE_EDITION_LINE", "Final Edition")

# The reader discussion under every story (gazette/discussion).
GAZETTE_COMMENT_MAX_LENGTH = int(os.environ.get("GAZETTE_COMMENT_MAX_LENGTH", "3000"))
GAZETTE_COMMENT_EDIT_MINUTES = int(os.environ.get("GAZETTE_COMMENT_EDIT_MINUTES", "10"))
GAZETTE_COMMENT_REPORTS_TO_HIDE = int(
    os.environ.get("GAZETTE_COMMENT_REPORTS_TO_HIDE", "3")
)
# Reports (and notes of story errors) one reader may file in 24 hours; a reader
# filing more is brigading or flooding the desk (security battery, item 6).
# 0 turns the cap off.
GAZETTE_REPORTS_PER_DAY = int(os.environ.get("GAZETTE_REPORTS_PER_DAY", "20"))
GAZETTE_COMMENTS_CLOSE_AFTER_DAYS = int(
    os.environ.get("GAZETTE_COMMENTS_CLOSE_AFTER_DAYS", "14")
)
GAZETTE_COMMENT_PAGE_SIZE = int(os.environ.get("GAZETTE_COMMENT_PAGE_SIZE", "20"))
GAZETTE_COMMENT_REPLIES_SHOWN = int(
    os.environ.get("GAZETTE_COMMENT_REPLIES_SHOWN", "10")
)
# Comments whose markup each process keeps once rendered (discussion/rendering.py);
# about 2 KB each.
GAZETTE_COMMENTS_KEPT_RENDERED = int(
    os.environ.get("GAZETTE_COMMENTS_KEPT_RENDERED", "5000")
)
# First pages of discussions each process keeps whole, for the viewers who see
# them alike (discussion/rendering.py); up to about 500 KB each, one per story,
# sort and kind of viewer. 0 renders every page from its comments.
GAZETTE_COMMENT_LISTS_KEPT = int(os.environ.get("GAZETTE_COMMENT_LISTS_KEPT", "64"))
# Story pages each process keeps whole for the signed-in readers who see them
# alike (pagecache/signed_in.py), one per story and address; 0 renders each.
GAZETTE_SIGNED_IN_PAGES_KEPT = int(os.environ.get("GAZETTE_SIGNED_IN_PAGES_KEPT", "64"))
# Rate and repeats: the least time between one reader's comments (longer for an
# account under a day old), the most comments an hour, and how long the same
# text may not be posted again.
GAZETTE_COMMENT_MIN_INTERVAL_SECONDS = int(
    os.environ.get("GAZETTE_COMMENT_MIN_INTERVAL_SECONDS", "3")
)
GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS = int(
    os.environ.get("GAZETTE_COMMENT_NEW_ACCOUNT_INTERVAL_SECONDS", "30")
)
GAZETTE_COMMENT_HOURLY_LIMIT = int(os.environ.get("GAZETTE_COMMENT_HOURLY_LIMIT", "20"))
GAZETTE_COMMENT_REPEAT_MINUTES = int(
    os.environ.get("GAZETTE_COMMENT_REPEAT_MINUTES", "6")
)
# Moderation (discussion/pipeline.py): links held for review; the civility model
# ({"provider": "shipped"}, {"provider": "model", "path": ...}, or "http") and its
# scores that hold a comment (after the reader confirms it) or reject it.
GAZETTE_COMMENT_HOLD_LINKS = env_flag("GAZETTE_COMMENT_HOLD_LINKS")
GAZETTE_CIVILITY_PROVIDER: dict = {"provider": "shipped"}
# Models trained by `gazette moderation train`, and the one `use` chose.
GAZETTE_CIVILITY_DIR = Path(
    os.environ.get("GAZETTE_CIVILITY_DIR", VAR_DIR / "civility")
)
GAZETTE_CIVILITY_SCORE = os.environ.get("GAZETTE_CIVILITY_SCORE", "attack")
GAZETTE_CIVILITY_HOLD = float(os.environ.get("GAZETTE_CIVILITY_HOLD", "0.5"))
GAZETTE_CIVILITY_REJECT = float(os.environ.get("GAZETTE_CIVILITY_REJECT", "0.9"))
# Pre-moderation: everything, some sections (slugs), a reader's first comments,
# readers with a high share of recent rejections, stories whose comments surge
# (count within minutes; 0 turns it off).
GAZETTE_PREMODERATE_ALL = env_flag("GAZETTE_PREMODERATE_ALL")
GAZETTE_PREMODERATE_SECTIONS: list[str] = [
    slug.strip()
    for slug in os.environ.get("GAZETTE_PREMODERATE_SECTIONS", "").split(",")
    if slug.strip()
]
# A reader's first comments wait for a moderator (0 turns it off).
GAZETTE_PREMODERATE_FIRST_COMMENTS = int(
    os.environ.get("GAZETTE_PREMODERATE_FIRST_COMMENTS", "2")
)
GAZETTE_PREMODERATE_REJECTION_RATE = float(
    os.environ.get("GAZETTE_PREMODERATE_REJECTION_RATE", "0.3")
)
GAZETTE_PREMODERATE_RATE_DAYS = int(
    os.environ.get("GAZETTE_PREMODERATE_RATE_DAYS", "7")
)
GAZETTE_PREMODERATE_SURGE: tuple[int, int] = (60, 10)
# Sanctions: how long a strike counts on the ladder (warning, suspension, ban).
GAZETTE_STRIKE_EXPIRY_DAYS = int(os.environ.get("GAZETTE_STRIKE_EXPIRY_DAYS", "90"))
# Automated checks a new comment passes (dotted paths; see discussion/screening.py).
GAZETTE_COMMENT_CHECKS: list[str] = []
# The site's own address, for links in mail sent outside a reader's request.
GAZETTE_SITE_URL = os.environ.get("GAZETTE_SITE_URL", "http://127.0.0.1:8000")
# A form sent with an expired CSRF token comes back with its text and a message,
# answered 403 for every kind of request, htmx included.
CSRF_FAILURE_VIEW = "gazette.discussion.views.csrf_failure"
