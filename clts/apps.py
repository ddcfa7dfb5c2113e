from django.apps import AppConfig


class CltsConfig(AppConfig):
    name = "clts"
    verbose_name = "Community land trusts"
