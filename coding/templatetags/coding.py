"""The code editor as a reusable piece: practice, interviews and live sessions include it."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from coding.models import Verdict
from coding.selectors import pass_rates_by_topic
from coding.services import runner_unavailable, version_spec

register = template.Library()

_CLASSES = {Verdict.ACCEPTED: "ok", Verdict.RAN: "ok", Verdict.NOT_RUN: ""}


@register.inclusion_tag("coding/_editor.html", takes_context=True)
def code_editor(context, version, value="", *, field_name="answer", field_id="id_answer", autosave_url="",
                errors="", autofocus=True, last_run=None, save_target="#save-state", runs=True, max_chars=None):
    """The editor (a textarea CodeMirror enhances), the samples, "Run samples" and "Submit" and the
    verdicts of `version`'s question. Inside the caller's form: it posts the form's `field_name`.
    save_target: the element the autosave's reply replaces; runs=False leaves out the run buttons
    (a live session's scratch box, which only the interviewer reads)."""
    request = context.get("request")
    return {
        "spec": version_spec(version),
        "statement": version.prompt.partition("\n")[2],
        "question_id": version.question_id,
        "field_name": field_name,
        "field_id": field_id,
        "value": value if value else version_spec(version).starter_code,
        "autosave_url": autosave_url,
        "errors": errors,
        "autofocus": autofocus,
        "max_chars": max_chars or settings.MAX_CODE_CHARS,
        "save_target": save_target,
        "runs": runs,
        "run_url": reverse("code_run_create", args=[version.question_id]),
        "back": request.get_full_path() if request else "",
        "request": request,  # its CSP nonce goes on the editor script
        "unavailable": runner_unavailable(),
        "last_run": last_run,
    }


@register.filter
def verdict_class(verdict: str) -> str:
    """The badge colour of a verdict."""
    return _CLASSES.get(verdict, "bad")


@register.filter
def verdict_label(verdict: str) -> str:
    return Verdict(verdict).label if verdict in Verdict.values else verdict


@register.filter
def kb_to_mb(kb) -> str:
    return f"{(kb or 0) / 1024:.1f}"


@register.inclusion_tag("coding/_pass_rates.html", takes_context=True)
def coding_pass_rates(context, period: str = "all", topic=None):
    """The dashboard's panel of coding pass rates per topic, for the dashboard's period and topic."""
    from progress.selectors import window_start
    from progress.views import PERIODS

    since = window_start(PERIODS.get(period), timezone.now())
    return {"rows": pass_rates_by_topic(user=context["request"].user, since=since, topic=topic)}


@register.filter
def question_heading(version) -> str:
    """A coding question's title, the first line of its prompt (the editor shows the statement under
    it, as Markdown); a free-text question's whole prompt."""
    return version.prompt.partition("\n")[0] if version.coding else version.prompt
