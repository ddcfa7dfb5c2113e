from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and tenancy"

    def ready(self):
        from django.apps import apps

        from accounts import signals
        from core.plain import plain_model_messages

        signals.connect()
        # Our models' stock validation messages in plain words (core.plain), once all are loaded.
        plain_model_messages(m for m in apps.get_models() if m.__module__.split(".")[0] in OWN_PACKAGES)


OWN_PACKAGES = {"accounts", "clts", "documents", "partnerships", "schemes"}
