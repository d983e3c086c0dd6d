from django import forms
from django.utils.translation import gettext_lazy as _

from questions.models import CODING_FIELDS, Question

from .spec import split_assert_tests

CODE_WIDGET_ATTRS = {"class": "code", "rows": 12, "spellcheck": "false", "autocapitalize": "off"}


class CodingQuestionAdminForm(forms.ModelForm):
    """The question form of the admin, with the code fields in monospace and their tests checked."""

    class Meta:
        model = Question
        fields = ["kind", *CODING_FIELDS]  # the admin adds the fields of its other fieldsets
        widgets = {
            name: forms.Textarea(attrs=CODE_WIDGET_ATTRS)
            for name in ("starter_code", "solution_code", "sample_tests", "hidden_tests", "sample_io", "hidden_io")
        }

    class Media:
        css = {"all": ["css/coding.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A free-text question's form may leave them all out: empty means the field's default.
        for name in ["kind", *CODING_FIELDS]:
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in ["kind", *CODING_FIELDS]:
            if name in self.fields and cleaned.get(name) in (None, ""):
                cleaned[name] = Question._meta.get_field(name).get_default()
            elif isinstance(cleaned.get(name), str):
                # Browsers send CRLF; the bank's files and the sandbox use LF.
                cleaned[name] = cleaned[name].replace("\r\n", "\n")
        return cleaned

    def _clean_tests(self, name: str) -> str:
        source = self.cleaned_data.get(name, "")
        try:
            split_assert_tests(source)
        except SyntaxError as exc:
            raise forms.ValidationError(
                _("Line %(line)s is not valid Python: %(error)s"), params={"line": exc.lineno, "error": exc.msg}
            ) from None
        return source

    def clean_sample_tests(self) -> str:
        return self._clean_tests("sample_tests")

    def clean_hidden_tests(self) -> str:
        return self._clean_tests("hidden_tests")

    def _clean_pairs(self, name: str) -> list:
        pairs = self.cleaned_data.get(name) or []  # empty: no pairs
        valid = isinstance(pairs, list) and all(
            isinstance(p, dict) and set(p) == {"input", "output"} and all(isinstance(v, str) for v in p.values())
            for p in pairs
        )
        if not valid:
            raise forms.ValidationError(_('Write a list of pairs: [{"input": "1 2", "output": "3"}].'))
        return pairs

    def clean_sample_io(self) -> list:
        return self._clean_pairs("sample_io")

    def clean_hidden_io(self) -> list:
        return self._clean_pairs("hidden_io")


CODING_FIELDSET = (
    _("Coding question"),
    {
        "fields": ["kind", *CODING_FIELDS],
        "description": _(
            "For kind Code: the candidate writes code that runs in the sandbox against the sample tests "
            "(shown) and the hidden tests. Without tests the candidate compares with the reference solution."
        ),
    },
)
