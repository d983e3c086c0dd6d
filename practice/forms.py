from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Rating


def answer_field(*, strip: bool = True) -> forms.CharField:
    """The answer box of practice and interviews: optional, and refused with a message when too long."""
    return forms.CharField(
        label=_("Your answer"),
        required=False,
        strip=strip,
        max_length=settings.MAX_ANSWER_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "autofocus": True}),
        error_messages={"max_length": _("Your answer is too long: keep it under %(limit_value)d characters.")},
    )


class AnswerForm(forms.Form):
    answer = answer_field()
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
