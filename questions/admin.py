from django.contrib import admin

from .models import KeyPoint, Question, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    extra = 1
    fields = ["order", "label", "text", "aliases"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["prompt", "topic", "difficulty", "is_published", "source_entries"]
    list_filter = ["topic", "difficulty", "is_published", "source_file"]
    search_fields = ["prompt", "answer", "explanation", "key_points__label", "key_points__text"]
    inlines = [KeyPointInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Saved content becomes a new version; attempts keep the version they were asked.
        form.instance.freeze_version()
