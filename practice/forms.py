from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Rating


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        required=False,
        strip=True,
        max_length=settings.MAX_ANSWER_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "autofocus": True}),
        error_messages={"max_length": _("Your answer is too long: keep it under %(limit_value)d characters.")},
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well did you recall it?"),
        choices=Rating.choices,
        coerce=int,
        error_messages={"required": _("Choose how well you recalled the answer.")},
    )
    covered = forms.TypedMultipleChoiceField(label=_("Key points you covered"), required=False, coerce=int)

    def __init__(self, *args, key_point_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covered"].choices = [(i, i) for i in range(key_point_count)]
