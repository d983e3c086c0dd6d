from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = _("Practice")

    def ready(self):
        from accounts.services import EXPORTERS

        from .services import practice_export

        EXPORTERS.append(("practice", practice_export))
