import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("fieldgate")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Autodiscovery looks for `<app>.tasks`; these sub-domains queue work of their own.
app.autodiscover_tasks(["partnerships.recoupment", "partnerships.programmes", "schemes.allocations", "schemes.relets"])
