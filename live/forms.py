from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from practice.models import Rating
from questions.models import Question, Topic

from .services import SessionChoice


class SessionSetupForm(forms.Form):
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions"),
        queryset=Question.objects.published()
        .exclude(current_version=None)
        .select_related("topic")
        .order_by("topic__order", "id"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pick the questions to ask, or leave them all unticked and draw some from topics below."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics to draw from"),
        queryset=Topic.objects.filter(questions__is_published=True).distinct(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for every topic."),
    )
    question_count = forms.IntegerField(label=_("Number of questions to draw"), min_value=1, max_value=10, initial=3)
    minutes_per_question = forms.IntegerField(label=_("Minutes per question"), min_value=1, max_value=60, initial=5)

    def clean(self):
        data = super().clean()
        if data.get("questions") and data.get("topics"):
            raise forms.ValidationError(_("Either pick questions or choose topics to draw from, not both."))
        return data

    def choice(self) -> SessionChoice:
        data = self.cleaned_data
        picked = list(data["questions"])
        return SessionChoice(
            seconds_per_question=data["minutes_per_question"] * 60,
            questions=picked,
            topics=list(data["topics"]),
            count=None if picked else data["question_count"],
        )


class AssessForm(forms.Form):
    """The interviewer's ticks, notes and rating for one question."""

    ticked = forms.TypedMultipleChoiceField(label=_("Key points covered"), required=False, coerce=int)
    notes = forms.CharField(
        label=_("Private notes"),
        required=False,
        max_length=settings.MAX_ANSWER_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", _("Not rated yet")), *Rating.choices],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, key_point_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticked"].choices = [(i, i) for i in range(key_point_count)]


class HintForm(forms.Form):
    hint = forms.CharField(label=_("Hint for the candidate"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ScratchForm(forms.Form):
    # Kept exactly as typed, like an interview answer.
    scratch = forms.CharField(
        label=_("Scratch box"),
        required=False,
        strip=False,
        max_length=settings.MAX_ANSWER_CHARS,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"max_length": _("Too long: keep it under %(limit_value)d characters.")},
    )


class FinishForm(forms.Form):
    feedback = forms.CharField(
        label=_("Overall feedback"),
        required=False,
        max_length=settings.MAX_ANSWER_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
