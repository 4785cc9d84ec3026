"""One settings module, read from the environment.

Unset variables fall back to embedded development defaults (SQLite, in-process tasks, email to files under
var/mail). With DEBUG off, missing production secrets fail loudly and the security headers switch on.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from cop_platform.cache import cache_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-7a1c2f"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "taggit",
    "csp",
    "accounts",
    "communities",
    "forums",
    "hotseats",
    "library",
    "polls",
    "events",
    "conversations",
    "jobs",
    "newsletters",
    "facilitation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cop_platform.anonymous_pages.AnonymousPageCacheMiddleware",  # before any per-request work it can spare
    "library.middleware.UploadSizeCapMiddleware",  # before anything reads a request body
    "cop_platform.middleware.RejectNulMiddleware",  # NUL in a path, query or form field: 400 (PostgreSQL refuses it)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a login unless marked @login_not_required (tests/access/ checks them all).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "cop_platform.middleware.PrivateCacheMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "cop_platform.urls"
WSGI_APPLICATION = "cop_platform.wsgi.application"
SITE_ID = 1

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
                "communities.context_processors.navigation",
                "newsletters.context_processors.notifications",
                "cop_platform.links.context",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and the in-process scheduler read while the other writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# Redis when it answers; while it does not, each process's own memory (rate limits keep counting, nobody gets a 500).
CACHES = cache_settings(REDIS_URL)

SESSION_ENGINE = "cop_platform.sessions"

# Pages for visitors who are not signed in, kept in the cache until the next write (cop_platform/anonymous_pages.py):
# only with Redis, the one cache every process shares. 0 turns it off.
ANONYMOUS_PAGE_CACHE_SECONDS = env.int("ANONYMOUS_PAGE_CACHE_SECONDS", default=60 if REDIS_URL else 0)

# --- Celery ------------------------------------------------------------------------------------------------------
# Without Redis, tasks run in-process: `.delay()` executes at once, and `make run` starts a beat process whose
# scheduled tasks also execute inside it (an in-memory broker never leaves the process).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Longer than any task's hard time limit, so Redis never hands a running task to a second worker.
# A publish gives up quickly when Redis is down: the post still saves and the outbox sweep sends its alerts later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 60 * 60,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE = {
    "facilitation-rollups": {
        "task": "facilitation.tasks.rollup_all",
        "schedule": crontab(minute=15),
    },
    "send-overdue-welcomes": {
        "task": "communities.tasks.send_overdue_welcomes",
        "schedule": timedelta(minutes=10),
    },
    "send-due-emails": {
        "task": "communities.tasks.send_due_emails",
        "schedule": timedelta(minutes=2),
    },
    "hotseat-reminders": {
        "task": "hotseats.tasks.send_reminders",
        "schedule": timedelta(minutes=5),
    },
    "event-reminders": {
        "task": "events.tasks.send_reminders",
        "schedule": timedelta(minutes=5),
    },
    "poll-reminders": {
        "task": "polls.tasks.send_reminders",
        "schedule": timedelta(minutes=5),
    },
    "newsletter-prepare-drafts": {
        "task": "newsletters.tasks.prepare_due_newsletters",
        "schedule": crontab(hour=6, minute=0),
    },
    "newsletter-dispatch-scheduled": {
        "task": "newsletters.tasks.dispatch_scheduled",
        "schedule": timedelta(minutes=2),
    },
    "newsletter-reap-stuck": {
        "task": "newsletters.tasks.reap_stuck_deliveries",
        "schedule": timedelta(seconds=20),  # with the 45 s heartbeat: a killed sender's issue resumes within ~1 min
    },
    "alerts-outbox-sweep": {
        "task": "newsletters.tasks.sweep_outbox",
        "schedule": timedelta(minutes=5),
    },
    "alerts-daily-digest": {
        "task": "newsletters.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=30),
    },
    "jobs-daily-upkeep": {
        "task": "jobs.tasks.daily_upkeep",
        "schedule": crontab(hour=0, minute=5),
    },
    "library-process-stragglers": {
        "task": "library.tasks.process_stragglers",
        "schedule": timedelta(minutes=10),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Auth --------------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, loading the notification bell's unread count with the user (no extra query).
    "newsletters.notifications.ModelBackend",
    "newsletters.notifications.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "communities:home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}
# A submitted sign-up is answered no sooner than this (seconds) after it arrived, whether the address was new or
# already had an account: longer than either path takes, so the answer's timing tells nothing.
SIGNUP_MIN_SECONDS = env.float("SIGNUP_MIN_SECONDS", default=0.75)
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
# The client's address, for the rate limits keyed by IP: behind N proxies that append to X-Forwarded-For, the N-th
# address from the right; or the one header a proxy sets (e.g. X-Real-IP). Unset, REMOTE_ADDR: behind a proxy that
# would be the proxy's address for everyone, and ten wrong guesses from anyone would lock the whole site out.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CoP Platform"

# --- Email -------------------------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CoP Platform <community@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that stops answering must not hold a worker (or, without Redis, a page) for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "cop_platform.mail.EmlFileBackend"
    EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=VAR_DIR / "mail")

# --- Internationalisation ----------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")  # the site's zone, and new accounts' until they choose
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Library files are private: they live outside MEDIA_ROOT and leave only through the library's permission-checked
# download view. With LIBRARY_S3_BUCKET set they go to a private S3-compatible bucket instead, and downloads are
# short-lived presigned URLs handed out after the same check.
LIBRARY_ROOT = env.path("LIBRARY_ROOT", default=VAR_DIR / "library")
LIBRARY_S3_BUCKET = env.str("LIBRARY_S3_BUCKET", default="")
if LIBRARY_S3_BUCKET:
    STORAGES["library"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": LIBRARY_S3_BUCKET,
            "endpoint_url": env.str("LIBRARY_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("LIBRARY_S3_REGION", default="") or None,
            "addressing_style": env.str("LIBRARY_S3_ADDRESSING_STYLE", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("LIBRARY_DOWNLOAD_URL_SECONDS", default=60),
            "file_overwrite": False,
        },
    }
else:
    STORAGES["library"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": LIBRARY_ROOT, "base_url": None, "directory_permissions_mode": 0o750},
    }
# Avatars are public; serve them from Django unless a proxy does it.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
AVATAR_MAX_BYTES = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security ----------------------------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
ADMIN_URL = env.str("ADMIN_URL", default="admin/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Product -----------------------------------------------------------------------------------------------------
PLATFORM_NAME = env.str("PLATFORM_NAME", default="CoP Platform")
INVITATION_LIFETIME = timedelta(days=env.int("INVITATION_LIFETIME_DAYS", default=14))
FORUM_POSTS_PER_HOUR = env.int("FORUM_POSTS_PER_HOUR", default=20)
# Page sizes: threads on a list page, top-level replies (with their branches) on a thread page.
FORUM_THREADS_PER_PAGE = env.int("FORUM_THREADS_PER_PAGE", default=25)
FORUM_REPLIES_PER_PAGE = env.int("FORUM_REPLIES_PER_PAGE", default=20)
# A delivery claimed longer ago than this belongs to a dead sender (well beyond a batch task's 5-minute limit).
NEWSLETTER_STUCK_AFTER_SECONDS = env.int("NEWSLETTER_STUCK_AFTER_SECONDS", default=15 * 60)
# A sender renews its claim's heartbeat before every message (each bounded by EMAIL_TIMEOUT): one silent for this
# long has died, and the reaper (every 20 s) requeues its rows.
NEWSLETTER_HEARTBEAT_TIMEOUT_SECONDS = env.int("NEWSLETTER_HEARTBEAT_TIMEOUT_SECONDS", default=45)
# Events not dispatched after this long are picked up by the outbox sweep.
ALERT_OUTBOX_GRACE_SECONDS = env.int("ALERT_OUTBOX_GRACE_SECONDS", default=120)
# Accounts younger than this many days may start conversations with at most this many people a day.
CONVERSATIONS_NEW_ACCOUNT_DAYS = env.int("CONVERSATIONS_NEW_ACCOUNT_DAYS", default=7)
CONVERSATIONS_NEW_ACCOUNT_DAILY_RECIPIENTS = env.int("CONVERSATIONS_NEW_ACCOUNT_DAILY_RECIPIENTS", default=5)
# A member's first few posts in a community wait for a facilitator if they carry more than this many links.
FORUM_NEW_MEMBER_POSTS = 3
FORUM_NEW_MEMBER_MAX_LINKS = 2
# The library: uploads are capped while they stream in; extraction is bounded in pages, characters and time.
LIBRARY_MAX_UPLOAD_BYTES = env.int("LIBRARY_MAX_UPLOAD_MB", default=25) * 1024 * 1024
LIBRARY_MAX_IMAGE_PIXELS = 40_000_000
LIBRARY_ZIP_MAX_ENTRIES = 5_000
LIBRARY_ZIP_MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
LIBRARY_EXTRACT_MAX_PAGES = env.int("LIBRARY_EXTRACT_MAX_PAGES", default=300)
LIBRARY_EXTRACT_MAX_CHARS = env.int("LIBRARY_EXTRACT_MAX_CHARS", default=200_000)
LIBRARY_EXTRACT_SECONDS = env.int("LIBRARY_EXTRACT_SECONDS", default=60)
# nginx: set to the internal location that maps onto LIBRARY_ROOT (e.g. /_library/) and Django answers downloads
# with X-Accel-Redirect after its permission check instead of streaming the bytes itself.
LIBRARY_X_ACCEL_REDIRECT_PREFIX = env.str("LIBRARY_X_ACCEL_REDIRECT_PREFIX", default="")
# Optional virus scanning through clamd's INSTREAM (tcp://host:3310 or unix:///run/clamav/clamd.ctl): new versions
# stay pending until clamd says they are clean. Unset: versions are available at once.
CLAMD_URL = env.str("CLAMD_URL", default="")
CLAMD_TIMEOUT_SECONDS = env.int("CLAMD_TIMEOUT_SECONDS", default=60)
