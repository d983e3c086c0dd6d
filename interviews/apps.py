from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Mock interviews")

    def ready(self):
        from accounts.services import EXPORTERS

        from .services import interviews_export

        EXPORTERS.append(("interviews", interviews_export))
