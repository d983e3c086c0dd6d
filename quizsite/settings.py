"""One settings module, configured from the environment.

Without DATABASE_URL the site runs on an SQLite file in the project folder;
with DATABASE_URL=postgres://… it runs on PostgreSQL. Nothing else differs.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a random value of 50+ characters when DJANGO_DEBUG=0")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "questions",
    "accounts",
    "practice",
    "interviews",
    "progress",
    "grading",
    "live",
    "coding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    # Axes must come last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "quizsite.urls"
WSGI_APPLICATION = "quizsite.wsgi.application"

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

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# SQLite as a real embedded database for several gunicorn workers. A deferred transaction that
# has read and then writes cannot wait for a lock (it fails with "database is locked"), so every
# transaction takes the write lock when it begins, and waits up to the timeout for it; WAL lets
# readers go on while one transaction writes. synchronous stays FULL: an acknowledged answer
# survives a power cut.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": env_int("SQLITE_TIMEOUT_SECONDS", 20),
    "init_command": "PRAGMA journal_mode=WAL",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env_str("REDIS_URL")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "quizsite.cache.ReusedClientRedisCache", "LOCATION": CACHE_URL}}
    # Sessions and the signed-in user are read from the shared cache (sessions are written through
    # to the database). Only with a shared cache: a per-process one would let an app server miss
    # another's sign-out or password change.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background work (answer grading, code runs) goes through django-tasks, the backport of Django 6's
# tasks framework. The default keeps the queue in the database: `manage.py db_worker` processes it, on
# SQLite or PostgreSQL, from any number of machines. TASKS_BACKEND=django_tasks_rq.RQBackend (with
# django-tasks-rq installed) moves the queue to Redis; TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend
# runs each task inside the request, for development without a worker.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Scoring answers: "local" is the offline glossary scorer; "llm" also asks an OpenAI-compatible
# chat-completions server (Ollama, vLLM, llama.cpp, OpenAI) in a background task, keeping the
# local score whenever it fails. Only the question, its key points and the answer are sent.
SCORER_BACKEND = env_str("SCORER_BACKEND", "local")
if SCORER_BACKEND not in ("local", "llm"):
    raise ImproperlyConfigured(f"SCORER_BACKEND must be local or llm, got {SCORER_BACKEND!r}")
LLM_BASE_URL = env_str("LLM_BASE_URL")
LLM_MODEL = env_str("LLM_MODEL")
LLM_API_KEY = env_str("LLM_API_KEY")
LLM_TIMEOUT = env_int("LLM_TIMEOUT", 30)
if SCORER_BACKEND == "llm" and not (LLM_BASE_URL and LLM_MODEL):
    raise ImproperlyConfigured("SCORER_BACKEND=llm needs LLM_BASE_URL and LLM_MODEL")
# A grading job still queued or running after this long has lost its worker: it is queued once
# more, then given up (the local score stays). Checked when the page polls, and by recover_grading_jobs.
GRADING_JOB_LIMIT_SECONDS = env_int("GRADING_JOB_LIMIT_SECONDS", 2 * LLM_TIMEOUT + 30)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.CachedModelBackend" if CACHE_URL else "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Accounts (django-allauth): sign-in by username; an e-mail address is required and confirmed by a link.
# Confirming is optional for practising, but a password reset goes only to a confirmed address.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignUpForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "change_password": "accounts.forms.ChangePasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # the reset page never mails an address that has no account
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[LLM Interview Prep] "
# allauth's limits, counted in the cache (shared by all app servers only with REDIS_URL). Failed
# sign-ins per username are django-axes's (below), so allauth keeps only its per-address limit.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip",
    "signup": "10/h/ip",
    "reset_password": "20/h/ip,5/h/key",
}
# The client's address is the one the last of this many proxies saw (X-Forwarded-For); every
# throttle, allauth's and axes's, reads it through accounts.throttle.client_ip.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)

# "Sign in with GitHub / Google", each only when its OAuth app is configured.
SOCIALACCOUNT_PROVIDERS = {}
for _provider, _prefix in (("github", "GITHUB"), ("google", "GOOGLE")):
    if _client_id := env_str(f"{_prefix}_CLIENT_ID"):
        if not (_secret := env_str(f"{_prefix}_CLIENT_SECRET")):
            raise ImproperlyConfigured(f"{_prefix}_CLIENT_SECRET must be set with {_prefix}_CLIENT_ID")
        SOCIALACCOUNT_PROVIDERS[_provider] = {"APPS": [{"client_id": _client_id, "secret": _secret}]}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # an address from a provider never signs in to an existing account

# Sign-in throttling, also for the admin's sign-in and every password check of a signed-in user:
# lock a username+IP pair after repeated failures, in the database (shared without Redis).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Asia/Shanghai")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Images imported with question banks (a storage backend of your choice in deployment; see README).
MEDIA_ROOT = env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = env_str("DJANGO_MEDIA_URL", "/media/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# Answers longer than this are refused with a message, not truncated.
MAX_ANSWER_CHARS = env_int("MAX_ANSWER_CHARS", 10_000)
# Mock interviews accept an answer this long after its deadline, for the network's delay.
INTERVIEW_GRACE_SECONDS = env_int("INTERVIEW_GRACE_SECONDS", 5)
# Live mock interviews: how long an invite link works, and how long an open session may sit idle
# before the sweep (`close_idle_live_sessions`, and every visit) closes it as abandoned.
LIVE_INVITE_MINUTES = env_int("LIVE_INVITE_MINUTES", 60)
LIVE_IDLE_MINUTES = env_int("LIVE_IDLE_MINUTES", 120)

# Coding questions: candidates' code runs only inside bubblewrap (coding/sandbox.py), in a task worker.
CODE_RUNNER_BWRAP = env_str("CODE_RUNNER_BWRAP", "/usr/bin/bwrap")
# The sandbox's interpreter: Debian's, whose files are bound read-only into each sandbox.
CODE_RUNNER_PYTHON = env_str("CODE_RUNNER_PYTHON", "/usr/bin/python3")
# A worker running as root drops to uid BASE + (its pid mod 10,000), a uid no account uses.
CODE_RUNNER_UID_BASE = env_int("CODE_RUNNER_UID_BASE", 200_000)
# Runs a candidate may have waiting or running at once; more are refused with a message.
CODE_RUNS_PER_USER = env_int("CODE_RUNS_PER_USER", 2)
# A run still "running" after this long belongs to a worker that died: it is retried once, then failed.
CODE_RUN_STALE_SECONDS = env_int("CODE_RUN_STALE_SECONDS", 120)
# Longest code accepted, in characters.
MAX_CODE_CHARS = env_int("MAX_CODE_CHARS", 10_000)

# Production: everything secure, assuming TLS is terminated by a proxy in front.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Django's defaults already send X-Content-Type-Options: nosniff, Referrer-Policy: same-origin and
# X-Frame-Options: DENY (quizsite/tests/test_security.py checks them).
# Content-Security-Policy (django-csp): scripts and styles only from this site, or inline with the
# request's nonce ({{ request.csp_nonce }}); nothing else, no eval. A form may post to a sign-in
# provider only when one is configured.
_PROVIDER_ORIGINS = {"github": "https://github.com", "google": "https://accounts.google.com"}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *(_PROVIDER_ORIGINS[provider] for provider in SOCIALACCOUNT_PROVIDERS)],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "quizsite.logs.JsonFormatter"},
    },
    # Structured (JSON) logs in production, plain lines while developing.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("DJANGO_LOG_FORMAT", "line" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
