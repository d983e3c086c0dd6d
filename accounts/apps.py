from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals

        # After every migrate (and every flush, which tests do), the editors' group exists.
        post_migrate.connect(signals.restore_editors_group, sender=self)
