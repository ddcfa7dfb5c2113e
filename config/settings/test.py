"""`make test`: the real PostgreSQL and Redis that scripts/harness.py starts on loopback."""

import os
import tempfile

import dj_database_url

from config.settings.base import *  # noqa: F401,F403
from config.settings.base import env

SECRET_KEY = "test-only-not-a-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

_database_url = env("DATABASE_URL")
if not _database_url:
    raise RuntimeError("config.settings.test needs DATABASE_URL: run the suite with `make test`.")
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=0)}

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"fieldgate-test-{os.getpid()}",
        "OPTIONS": REDIS_CACHE_OPTIONS,  # noqa: F405
    }
}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # as in production

# Ordinary tests run tasks in-process; tests marked `worker` switch this off and use a real
# Celery worker on the real Redis broker.
CELERY_BROKER_URL = REDIS_URL
# pytest-xdist runs the suite in several processes, each with its own test database: each gets
# its own queue too, so a worker started by one never takes another's tasks.
CELERY_TASK_DEFAULT_QUEUE = f"fieldgate-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker started by a test in another process is given the same folder through MEDIA_ROOT.
PRIVATE_FILES_ROOT = env("MEDIA_ROOT") or tempfile.mkdtemp(prefix="fieldgate-files-")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_FILES_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # collected only in production; WhiteNoise serves from the finders here
STATEMENT_RETRY_BASE_SECONDS = 0
# Unacknowledged tasks of a worker that died come back to the queue after this many seconds.
# A document unfinished for 3 s is taken to have lost its worker (production: the time limit + 60 s).
DOCUMENT_STALE_AFTER_SECONDS = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

# Every test client is 127.0.0.1 and many tests read the API without a token: the per-address rate
# is lifted so they do not count against each other (tests/api/test_api.py sets low rates to test it).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "600/min", "anon": "100000/min"}}  # noqa: F405
