from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from practice.forms import answer_field
from questions.models import Question, Topic

from .services import InterviewSettings


class InterviewSetupForm(forms.Form):
    PER_QUESTION, TOTAL = "per_question", "total"

    question_count = forms.IntegerField(label=_("Number of questions"), min_value=3, max_value=10, initial=5)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        # EXISTS per topic, not a join over every question and a DISTINCT.
        queryset=Topic.objects.filter(Exists(Question.objects.published().filter(topic=OuterRef("pk")))),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for every topic."),
    )
    timing = forms.ChoiceField(
        label=_("Time limit"),
        choices=[(PER_QUESTION, _("A limit for each question")), (TOTAL, _("One limit for the whole interview"))],
        initial=PER_QUESTION,
        widget=forms.RadioSelect,
    )
    minutes_per_question = forms.IntegerField(label=_("Minutes per question"), min_value=1, max_value=30, initial=3)
    total_minutes = forms.IntegerField(label=_("Minutes in all"), min_value=3, max_value=120, initial=15)
    favour_weak_topics = forms.BooleanField(label=_("Favour my weakest topics"), required=False)

    def settings(self) -> InterviewSettings:
        data = self.cleaned_data
        per_question = data["timing"] == self.PER_QUESTION
        return InterviewSettings(
            question_count=data["question_count"],
            topics=list(data["topics"]),
            seconds_per_question=data["minutes_per_question"] * 60 if per_question else None,
            total_seconds=None if per_question else data["total_minutes"] * 60,
            favour_weak_topics=data["favour_weak_topics"],
        )


class AnswerForm(forms.Form):
    # Kept exactly as typed: it becomes the interview answer.
    answer = answer_field(strip=False)

    def answer_or_none(self) -> str | None:
        """The answer, or None when the post had no answer field at all (not the same as an empty answer:
        a missing field must never overwrite the saved draft)."""
        return self.cleaned_data["answer"] if "answer" in self.data else None
