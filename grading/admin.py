from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import GlossaryConcept, GradingJob


@admin.register(GlossaryConcept)
class GlossaryConceptAdmin(admin.ModelAdmin):
    list_display = ["key", "zh_terms", "en_terms", "broader", "updated_at"]
    search_fields = ["key", "zh_terms", "en_terms", "note"]
    fieldsets = [
        (
            None,
            {
                "fields": ["key", "zh_terms", "en_terms", "broader", "note"],
                "description": _(
                    "The built-in glossary is the file grading/data/glossary.txt (over 500 concepts). A concept "
                    "here with the key of a built-in one adds its terms to it; a new key adds a concept. The "
                    "scorer uses the change at once; run rescore_attempts to redo stored scores."
                ),
            },
        )
    ]


@admin.register(GradingJob)
class GradingJobAdmin(admin.ModelAdmin):
    """Read-only: what the LLM grader did with each answer, for support and for spotting a dead worker."""

    list_display = ["attempt", "model", "status", "failure", "tries", "created_at", "started_at", "finished_at"]
    list_filter = ["status", "failure", "model"]
    list_select_related = ["attempt__user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
