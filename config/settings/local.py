"""`make run`: SQLite, tasks in-process, email to the console. Nothing to install or start."""

from config.settings.base import *  # noqa: F401,F403
from config.settings.base import BASE_DIR, env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "local-development-only-not-a-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
    }
}
# A real cache for allauth's rate limits, shared by runserver's threads.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fieldgate-local"}}

CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # collected only in production; WhiteNoise serves from the finders here
