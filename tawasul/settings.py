"""Tawasul settings: one module, driven by the environment.

The embedded default (no variables set) runs on SQLite in ``./var/`` with a
local-memory cache, the database task queue and mail written to ``var/mail/``.
``TAWASUL_ENV=production`` switches to production rules: every production
variable must be present and valid, or start-up stops with a message naming it.
Every variable is documented in ``docs/configuration.md``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tawasul import env

BASE_DIR = Path(__file__).resolve().parent

TAWASUL_ENV = env.choice("TAWASUL_ENV", ("embedded", "production"), default="embedded")
PRODUCTION = TAWASUL_ENV == "production"

# Everything the embedded tier writes (SQLite file, media, mail outbox) lives here.
DATA_DIR = Path(os.environ.get("TAWASUL_DATA") or "var").resolve()

DEBUG = env.boolean("TAWASUL_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("TAWASUL_DEBUG: must not be on when TAWASUL_ENV=production.")

if PRODUCTION:
    SECRET_KEY = env.secret_key("SECRET_KEY", required=True)
else:
    SECRET_KEY = env.secret_key("SECRET_KEY", required=False) or env.embedded_secret_key(DATA_DIR)

BASE_URL = env.base_url("TAWASUL_BASE_URL", required=PRODUCTION, default="http://127.0.0.1:8000")
ALLOWED_HOSTS = env.host_list(
    "ALLOWED_HOSTS",
    required=PRODUCTION,
    default=["127.0.0.1", "localhost", "[::1]", "testserver"],
)
CSRF_TRUSTED_ORIGINS = [BASE_URL]

# ---------------------------------------------------------------- applications
INSTALLED_APPS = [
    # First, so that a database snapshot (tests' serialized rollback, dumpdata) lists
    # content types before the pages that refer to them.
    "django.contrib.contenttypes",
    "tawasul.core",
    "tawasul.accounts",
    "tawasul.news",
    "tawasul.eservices",
    "tawasul.polls",
    "tawasul.comments",
    "tawasul.discussions",
    "tawasul.inquiries",
    "tawasul.newsletter",
    "tawasul.insights",
    # After every app whose content it indexes (its demo step indexes theirs).
    "tawasul.search",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
]

MIDDLEWARE = [
    "tawasul.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tawasul.core.middleware.ArabicFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Outside the middleware below, so the headers they set (CSP, X-Frame-Options) are
    # stored with a page; inside sessions, CSRF and auth, which decide what may be cached.
    "tawasul.core.pagecache.AnonymousPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tawasul.core.middleware.CSPMiddleware",
    "tawasul.core.middleware.AdminStylePolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so it sees the outcome of authentication for lockouts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tawasul.urls"
# Widgets render through TEMPLATES, so tawasul/templates can replace Wagtail's
# few widget templates that carry inline scripts (see core/static/tawasul/js/admin-csp.js).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "tawasul.wsgi.application"

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
                "wagtail.contrib.settings.context_processors.settings",
                "tawasul.core.context_processors.site",
            ],
            "builtins": ["tawasul.core.templatetags.tawasul"],
        },
    },
]

# ---------------------------------------------------------------- data
DATABASES = {"default": env.database("DATABASE_URL", required=PRODUCTION, data_dir=DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.redis_url("REDIS_URL", required=PRODUCTION)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tawasul",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# ---------------------------------------------------------------- mail
EMAIL_URL = os.environ.get("EMAIL_URL", "").strip()
vars().update(env.email(EMAIL_URL, outbox=DATA_DIR / "mail", production=PRODUCTION))
DEFAULT_FROM_EMAIL = env.mailbox("DEFAULT_FROM_EMAIL", default="Tawasul <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------- accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # three days, also the e-mail verification window

# Failed sign-ins: locked out per account and, separately, per IP address.
AXES_FAILURE_LIMIT = env.integer("TAWASUL_SIGNIN_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "tawasul.core.net.client_ip"
# How many proxies (nginx, load balancer) stand in front of Tawasul; see core/net.py.
TAWASUL_PROXY_COUNT = env.integer("TAWASUL_PROXY_COUNT", default=1 if PRODUCTION else 0, minimum=0)
AXES_ENABLE_ADMIN = False

# ---------------------------------------------------------------- language
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
# Language names as words inside a sentence, translated into the reader's language.
LANGUAGES_IN_WORDS = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.time_zone("TAWASUL_TIME_ZONE", default="Asia/Qatar")
LANGUAGE_COOKIE_NAME = "tawasul_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_SITE_NAME = _("Tawasul")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Staff avatars are uploaded, never fetched from gravatar.com: no request leaves the site.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# ---------------------------------------------------------------- static & media
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("TAWASUL_STATIC_ROOT") or DATA_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("TAWASUL_MEDIA_ROOT") or DATA_DIR / "media")
# The embedded tier serves uploaded media itself; production leaves it to nginx.
SERVE_MEDIA = env.boolean("TAWASUL_SERVE_MEDIA", default=not PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (the embedded tier), WhiteNoise serves straight from the apps.
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# ---------------------------------------------------------------- security
# No inline script or style anywhere, and nothing from another host.
SELF, NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        # Video players load only when a visitor presses play (news/includes/video.html).
        "frame-src": [SELF, "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.boolean("TAWASUL_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.integer("TAWASUL_HSTS_SECONDS", default=31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.boolean("TAWASUL_HSTS_PRELOAD", default=False)
    # /healthz is polled over plain HTTP by load balancers on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # HSTS preload is an operator's decision; it cannot be undone quickly (W021).
    # Wagtail's live preview frames our own pages, so framing stays SAMEORIGIN (W019).
    SILENCED_SYSTEM_CHECKS = ["security.W021", "security.W019"]

# ---------------------------------------------------------------- logging
LOG_LEVEL = env.choice("TAWASUL_LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "tawasul": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
    },
}

# Anonymous page views are served from the cache for this long; publishing invalidates.
PAGE_CACHE_SECONDS = env.integer("TAWASUL_PAGE_CACHE_SECONDS", default=300, minimum=0)

# Proof-of-work difficulty of the human check (core/antibot.py): the largest number a
# browser may have to try. 50,000 takes an ordinary phone about a second.
TAWASUL_POW_MAX_NUMBER = env.integer("TAWASUL_POW_MAX_NUMBER", default=50_000, minimum=1_000)

# Votes in polls open to anyone, per IP address and hour (core/ratelimit.py). Offices and
# mobile networks put many people behind one address, hence a generous default.
POLL_VOTES_PER_IP = env.integer("TAWASUL_POLL_VOTES_PER_IP", default=120, minimum=1)

# Comments a person (and a network address) may post in a minute before further ones are
# held for a moderator; at twice as many they are refused until the minute is over.
COMMENTS_PER_MINUTE = env.integer("TAWASUL_COMMENTS_PER_MINUTE", default=5, minimum=1)
COMMENTS_PER_MINUTE_PER_IP = env.integer(
    "TAWASUL_COMMENTS_PER_MINUTE_PER_IP", default=20, minimum=1
)

# Inquiries desk (docs/inquiries.md). The weekend as ISO weekday numbers (Monday = 1):
# Friday and Saturday by default; holidays are kept in the admin.
try:
    INQUIRIES_WEEKEND = tuple(
        int(day) for day in os.environ.get("TAWASUL_INQUIRIES_WEEKEND", "5,6").split(",") if day
    )
except ValueError:
    INQUIRIES_WEEKEND = ()
if not INQUIRIES_WEEKEND or any(day < 1 or day > 7 for day in INQUIRIES_WEEKEND):
    raise ImproperlyConfigured(
        "TAWASUL_INQUIRIES_WEEKEND: ISO weekdays 1-7 separated by commas, e.g. 5,6."
    )
INQUIRIES_REFERENCE_PREFIX = os.environ.get("TAWASUL_INQUIRIES_PREFIX", "MOI").strip() or "MOI"
INQUIRIES_PER_IP_HOUR = env.integer("TAWASUL_INQUIRIES_PER_IP_HOUR", default=10, minimum=1)
INQUIRIES_PER_EMAIL_DAY = env.integer("TAWASUL_INQUIRIES_PER_EMAIL_DAY", default=5, minimum=1)
INQUIRIES_MAX_FILES = env.integer("TAWASUL_INQUIRIES_MAX_FILES", default=3, minimum=0)
INQUIRIES_MAX_FILE_MB = env.integer("TAWASUL_INQUIRIES_MAX_FILE_MB", default=5, minimum=1)
# Closed cases lose their personal data after this many days.
INQUIRIES_RETENTION_DAYS = env.integer("TAWASUL_INQUIRIES_RETENTION_DAYS", default=365, minimum=1)
# A reply by email to a case closed longer ago than this opens a new case.
INQUIRIES_REOPEN_DAYS = env.integer("TAWASUL_INQUIRIES_REOPEN_DAYS", default=30, minimum=0)
# The address citizens reply to (its mailbox is fed to `tawasul inquiries-ingest`).
INQUIRIES_REPLY_TO = os.environ.get("TAWASUL_INQUIRIES_REPLY_TO", "").strip()
# clamd's socket ("/run/clamav/clamd.ctl") or "host:port"; empty: no virus scan.
INQUIRIES_CLAMD = os.environ.get("TAWASUL_INQUIRIES_CLAMD", "").strip()
# The shared secret of the inbound-mail webhook; empty: the webhook is off.
INQUIRIES_WEBHOOK_SECRET = os.environ.get("TAWASUL_INQUIRIES_WEBHOOK_SECRET", "").strip()

# The benchmark's floor: a view that does nothing, served by the same stack (bench/pages.py).
BENCH_FLOOR = env.boolean("TAWASUL_BENCH_FLOOR", default=False)

# Newsletter sending (tawasul/newsletter/sender.py, docs/newsletter.md): SMTP connections
# per worker, messages per second per worker (0: as fast as the relay takes them).
NEWSLETTER_CONCURRENCY = env.integer("TAWASUL_NEWSLETTER_CONCURRENCY", default=4, minimum=1)
NEWSLETTER_RATE = env.integer("TAWASUL_NEWSLETTER_RATE", default=0, minimum=0)
NEWSLETTER_FROM_EMAIL = env.mailbox("TAWASUL_NEWSLETTER_FROM", default=DEFAULT_FROM_EMAIL)
# Envelope sender; bounces come back to <local>+<signed delivery id>@<domain> (VERP).
NEWSLETTER_BOUNCE_ADDRESS = os.environ.get("TAWASUL_NEWSLETTER_BOUNCE_ADDRESS", "").strip()
NEWSLETTER_UNSUBSCRIBE_MAILBOX = os.environ.get(
    "TAWASUL_NEWSLETTER_UNSUBSCRIBE_MAILBOX", ""
).strip()
# Bounce notifications over HTTP (POST /newsletter/bounces): off unless a token is set.
NEWSLETTER_BOUNCE_WEBHOOK_TOKEN = os.environ.get("TAWASUL_NEWSLETTER_BOUNCE_WEBHOOK_TOKEN", "")
# Optional DKIM signing (dkimpy): a PEM private key file and the DNS selector.
NEWSLETTER_DKIM_KEY_FILE = os.environ.get("TAWASUL_NEWSLETTER_DKIM_KEY_FILE", "").strip()
NEWSLETTER_DKIM_SELECTOR = os.environ.get("TAWASUL_NEWSLETTER_DKIM_SELECTOR", "tawasul").strip()
NEWSLETTER_DKIM_DOMAIN = os.environ.get("TAWASUL_NEWSLETTER_DKIM_DOMAIN", "").strip()
if NEWSLETTER_DKIM_KEY_FILE and not Path(NEWSLETTER_DKIM_KEY_FILE).is_file():
    raise ImproperlyConfigured("TAWASUL_NEWSLETTER_DKIM_KEY_FILE: no such file.")

# ---------------------------------------------------------------- Tawasul
TAWASUL = {
    # Public text shown as the agency's name until an editor sets it in site settings.
    "DEFAULT_AGENCY_NAME": _("Ministry of Interior"),
}
