from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from interviews.reference import may_see_reference
from questions.models import Kind, Question
from quizsite.htmx import HtmxHttpRequest

from .models import CodeRun
from .services import RunRefused, code_run_recover, code_run_request


def _get_run_for_user(request: HtmxHttpRequest, pk: int) -> CodeRun:
    """Another candidate's run is a 404: its code is theirs."""
    return get_object_or_404(CodeRun.objects.for_user(request.user).select_related("question"), pk=pk)


def _get_run_recovered_for_user(request: HtmxHttpRequest, pk: int) -> CodeRun:
    """The candidate's run, queued again or failed first if its worker was lost (never pending forever)."""
    run = _get_run_for_user(request, pk)
    return code_run_recover(run=run) if run.is_pending else run


@login_required
@require_POST
def run_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Queue "Run samples" or "Submit" for the code in the editor (the form's `answer` field)."""
    question = get_object_or_404(Question.objects.published().with_current_version(), pk=pk, kind=Kind.CODE)
    purpose = request.POST.get("purpose")
    if purpose not in CodeRun.Purpose.values:
        purpose = CodeRun.Purpose.SAMPLES
    try:
        run = code_run_request(user=request.user, question=question, code=request.POST.get("answer", ""), purpose=purpose)
    except RunRefused as exc:
        if not request.htmx:
            messages.error(request, str(exc))
            back = request.POST.get("back", "")
            safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
            return redirect(back if safe else "practice_home")
        context = {"question": question, "error": str(exc)}
        return render(request, "coding/run.html#result", context, status=422)
    if request.htmx:
        show_hidden = may_see_reference(user=request.user, question=question)
        return render(request, "coding/run.html#result", {"question": question, "run": run, "show_hidden": show_hidden})
    return redirect("code_run_detail", pk=run.pk)


@login_required
@require_GET
def run_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A run's verdicts; htmx polls the partial until they are in."""
    run = _get_run_recovered_for_user(request, pk)
    template = "coding/run.html#result" if request.htmx else "coding/run.html"
    # Hidden tests' code, errors and output are reference material: withheld while an interview holds the question.
    show_hidden = may_see_reference(user=request.user, question=run.question)
    return render(request, template, {"question": run.question, "run": run, "show_hidden": show_hidden})
