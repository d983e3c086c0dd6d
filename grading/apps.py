from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = _("Grading")

    def ready(self):
        from accounts.signals import restore_editors_group

        # Again once this app's permissions exist, so editors may edit the glossary.
        post_migrate.connect(restore_editors_group, sender=self)
