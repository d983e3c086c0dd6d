from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from practice.forms import answer_field
from questions.models import Topic

from .services import MAX_QUESTIONS, MIN_QUESTIONS, InterviewSettings, too_few_questions


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, topic) -> str:
        count = ngettext("%(n)d question", "%(n)d questions", topic.published_count) % {"n": topic.published_count}
        if topic.published_count < MIN_QUESTIONS:
            count += " · " + str(_("too few for an interview on its own"))
        return f"{topic.name} ({count})"


class InterviewSetupForm(forms.Form):
    PER_QUESTION, TOTAL = "per_question", "total"

    question_count = forms.IntegerField(
        label=_("Number of questions"), min_value=MIN_QUESTIONS, max_value=MAX_QUESTIONS, initial=5
    )
    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.with_published_questions(),
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

    @classmethod
    def prefilled(cls, params) -> "InterviewSetupForm":
        """An unbound form with the topics named in a link (`?topic=slug`) ticked, and no more
        questions than they hold."""
        chosen = list(cls.base_fields["topics"].queryset.filter(slug__in=params.getlist("topic")))
        initial = {}
        if chosen:
            available = sum(t.published_count for t in chosen)
            initial = {"topics": chosen, "question_count": min(5, max(MIN_QUESTIONS, available))}
        return cls(initial=initial)

    def clean(self):
        data = super().clean()
        topics, count = data.get("topics"), data.get("question_count")
        if topics and count:
            available = sum(t.published_count for t in topics)
            if available < MIN_QUESTIONS:
                self.add_error("topics", too_few_questions(available))
            elif available < count:
                self.add_error(
                    "question_count",
                    _("These topics have %(n)d published questions: ask for at most %(n)d, or choose more topics.")
                    % {"n": available},
                )
        return data

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
