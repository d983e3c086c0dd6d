from functools import partial
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Avg, Count, ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coding.forms import CODING_FIELDSET, CodingQuestionAdminForm

from .importers import FORMATS, UPLOAD_EXTENSIONS, BankError
from .importers.base import SOURCE_MAX
from .models import KeyPoint, Question, QuestionVersion, Topic
from .rendering import render_markdown
from .services import bank_export, bank_upload_confirm, bank_upload_preview, upload_max_bytes


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "question_count"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description=_("questions"), ordering="question_count")
    def question_count(self, topic):
        return topic.question_count


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    extra = 1
    fields = ["order", "label", "text", "aliases", "is_derived"]
    # Short boxes: the inline is a table.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class QuestionVersionInline(admin.TabularInline):
    """The frozen history: visible, never editable."""

    model = QuestionVersion
    extra = 0
    fields = ["number", "created_at", "prompt", "attempt_count"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("versions (what candidates were asked; never changed)")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attempt_total=Count("attempts"))

    @admin.display(description=_("attempts"))
    def attempt_count(self, version):
        return version.attempt_total


class BankUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bank file"),
        help_text=_(
            "Markdown (.md, .txt), Moodle GIFT (.gift), Anki notes (.txt, .tsv, .csv), JSON, or a .zip of a bank with its images; up to 50 MB."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("Detect"))] + [(f, f) for f in FORMATS]
    )
    style = forms.ChoiceField(
        label=_("Questions are"),
        required=False,
        choices=[("", _("Detect")), ("heading", _("headings")), ("bold", _("bold paragraphs"))],
    )
    level = forms.TypedChoiceField(
        label=_("Heading level of questions"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Detect"))] + [(n, n) for n in range(1, 7)],
    )
    topic = forms.ModelChoiceField(
        label=_("Put every question under"),
        required=False,
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("the topic its section names"),
    )
    overwrite_edited = forms.BooleanField(
        label=_("Replace questions edited here since their last import"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > upload_max_bytes():
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is 50 MB. Split the bank into smaller files.")
                % {"size": filesizeformat(upload.size)}
            )
        if not upload.name.lower().endswith(UPLOAD_EXTENSIONS):
            raise forms.ValidationError(_("Upload a .md, .txt, .gift, .csv, .tsv, .json or .zip file."))
        if len(Path(upload.name).name) > SOURCE_MAX:
            raise forms.ValidationError(
                _("The file name is longer than %(n)d characters: rename the file.") % {"n": SOURCE_MAX}
            )
        return upload


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = [
        "prompt",
        "topic",
        "difficulty",
        "is_published",
        "attempt_count",
        "average_coverage",
        "source_entries",
    ]
    list_filter = ["topic", "difficulty", "is_published", "source_file", "key_points__is_derived"]
    list_select_related = ["topic"]
    search_fields = ["prompt", "answer", "explanation", "key_points__label", "key_points__text"]
    readonly_fields = ["preview", "current_version_number"]
    fieldsets = [
        (None, {"fields": ["topic", "prompt", "answer", "explanation", "difficulty", "is_published", "tags"]}),
        CODING_FIELDSET,
        (_("Source"), {"fields": ["source_file", "source_entries", "current_version_number"], "classes": ["collapse"]}),
        (_("Preview, as candidates see it"), {"fields": ["preview"]}),
    ]
    form = CodingQuestionAdminForm
    inlines = [KeyPointInline, QuestionVersionInline]
    actions = ["publish", "unpublish", "delete_unanswered"]
    change_list_template = "admin/questions/question/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(attempt_total=Count("attempts", distinct=True), coverage=Avg("attempts__score"))
        )

    @admin.display(description=_("attempts"), ordering="attempt_total")
    def attempt_count(self, question):
        return question.attempt_total

    @admin.display(description=_("average coverage"), ordering="coverage")
    def average_coverage(self, question):
        return "—" if question.coverage is None else f"{round(question.coverage * 100)}%"

    @admin.display(description=_("version"))
    def current_version_number(self, question):
        return question.current_version.number if question.current_version else "—"

    @admin.display(description=_("preview"))
    def preview(self, question):
        if question.pk is None:
            return _("Save to see the preview.")
        points = "".join(
            format_html("<li><strong>{}</strong>：{}</li>", kp.label, kp.text) for kp in question.key_points.all()
        )
        # render_markdown sanitises: this is exactly the HTML candidates get.
        return format_html(
            '<div class="preview">{}<ul>{}</ul><h4>{}</h4>{}</div>',
            mark_safe(render_markdown(question.answer)),  # noqa: S308
            mark_safe(points),  # noqa: S308 - built with format_html
            _("Explanation"),
            mark_safe(render_markdown(question.explanation)),  # noqa: S308
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Saved content becomes a new version; attempts keep the version they were asked.
        before = form.instance.current_version_id
        version = form.instance.freeze_version()
        if change and version.pk != before:
            messages.info(
                request,
                _("Saved as version %(n)d. Earlier attempts keep showing the version they answered.")
                % {"n": version.number},
            )

    # Questions with attempts are part of candidates' history: unpublish, never delete.
    def delete_view(self, request, object_id, extra_context=None):
        question = self.get_object(request, object_id)
        if question is not None and question.attempts.exists():
            self.message_user(request, self._refusal(1), messages.ERROR)
            return redirect(reverse("admin:questions_question_change", args=[question.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        self._delete_unanswered(queryset)

    def _delete_unanswered(self, queryset) -> tuple[int, int]:
        """(deleted, kept because an interview drew them): a protected question is left alone, not a 500."""
        deleted = protected = 0
        for question in queryset.filter(attempts__isnull=True).distinct():
            try:
                with transaction.atomic():
                    question.delete()
            except ProtectedError:
                protected += 1
            else:
                deleted += 1
        return deleted, protected

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Delete selected questions that nobody has answered"), permissions=["delete"])
    def delete_unanswered(self, request, queryset):
        answered = queryset.filter(attempts__isnull=False).distinct().count()
        if answered:
            self.message_user(request, self._refusal(answered), messages.ERROR)
        deleted, protected = self._delete_unanswered(queryset)
        if protected:
            self.message_user(
                request,
                ngettext(
                    "%(n)d question was not deleted: a mock interview asked it. Unpublish it instead.",
                    "%(n)d questions were not deleted: mock interviews asked them. Unpublish them instead.",
                    protected,
                )
                % {"n": protected},
                messages.ERROR,
            )
        self.message_user(request, ngettext("Deleted %d question.", "Deleted %d questions.", deleted) % deleted)

    def _refusal(self, count: int) -> str:
        return ngettext(
            "A question that candidates have answered cannot be deleted: unpublish it instead, so their history stays.",
            "%(n)d questions that candidates have answered were not deleted: unpublish them instead, so their history stays.",
            count,
        ) % {"n": count}

    @admin.action(description=_("Publish selected questions"), permissions=["change"])
    def publish(self, request, queryset):
        self.message_user(request, _("Published %d.") % queryset.update(is_published=True))

    @admin.action(description=_("Unpublish selected questions"), permissions=["change"])
    def unpublish(self, request, queryset):
        self.message_user(request, _("Unpublished %d.") % queryset.update(is_published=False))

    # Import and export of the whole bank.
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="questions_question_import"),
            *(
                path(
                    f"export.{extension}",
                    view(partial(self.export_view, format=format)),
                    name=f"questions_question_export_{extension}",
                )
                for format, (extension, _type) in EXPORTS.items()
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → a dry-run preview → confirm (once). The same loader as `import_bank`."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a question bank"),
        }
        form = BankUploadForm()
        if request.method == "POST" and "confirm" in request.POST:
            try:
                report = bank_upload_confirm(
                    user=request.user,
                    token=request.POST.get("token", ""),
                    # Unticked changes are left out: the form lists every change offered and the ticked ones.
                    leave_out=frozenset(request.POST.getlist("offered")) - set(request.POST.getlist("accept")),
                )
            except BankError as exc:
                messages.error(request, exc.message)
                return redirect("admin:questions_question_import")
            messages.success(request, " · ".join(report.lines()[:3]))
            return redirect("admin:questions_question_changelist")
        if request.method == "POST":
            form = BankUploadForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data
                upload = data["file"]
                try:
                    token, report = bank_upload_preview(
                        user=request.user,
                        upload=upload,
                        options={
                            "format": data["format"] or None,
                            "style": data["style"] or None,
                            "level": data["level"],
                            "topic": data["topic"].slug if data["topic"] else None,
                            "overwrite_edited": data["overwrite_edited"],
                        },
                    )
                except BankError as exc:
                    form.add_error("file", f"{Path(upload.name).name}:{exc.line}: {exc.message}")
                else:
                    context |= {"report": report, "token": token}
        context["form"] = form
        return render(request, "admin/questions/question/import.html", context)

    def export_view(self, request: HttpRequest, format: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        extension, content_type = EXPORTS[format]
        response = HttpResponse(bank_export(format=format), content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="question-bank-{timezone.localdate():%Y%m%d}.{extension}"'
        )
        return response


EXPORTS = {
    "markdown": ("md", "text/markdown; charset=utf-8"),
    "json": ("json", "application/json; charset=utf-8"),
    "gift": ("gift", "text/plain; charset=utf-8"),
    "anki": ("txt", "text/plain; charset=utf-8"),
}
