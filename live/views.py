from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quizsite.htmx import HtmxHttpRequest

from .forms import AssessForm, FinishForm, HintForm, ScratchForm, SessionSetupForm
from .models import OPEN_STATUSES, LiveQuestion, LiveSession, idle_before
from .services import (
    LiveError,
    clock_pause,
    clock_start,
    hint_reveal,
    invite_refusal,
    invite_renew,
    invite_revoke,
    live_session_close_if_idle,
    live_session_create,
    live_session_finish,
    live_session_join,
    live_session_swap,
    live_sessions_close_idle,
    question_assess,
    question_next,
    scratch_save,
)

INTERVIEWER, CANDIDATE = "interviewer", "candidate"


def _get_session_for_user(request: HtmxHttpRequest, public_id: str) -> tuple[LiveSession, str]:
    """The session and the user's role in it, closed first if it sat idle too long. Anyone else: 404."""
    session = get_object_or_404(
        LiveSession.objects.for_user(request.user).select_related("interviewer", "candidate"), public_id=public_id
    )
    session = live_session_close_if_idle(session=session)
    return session, session.role_of(request.user)


def _get_session_for_role(request: HtmxHttpRequest, public_id: str, role: str) -> LiveSession:
    """The session, only for the person in `role` (the other one gets a 404 too)."""
    session, actual = _get_session_for_user(request, public_id)
    if actual != role:
        raise Http404
    return session


def _back(request: HtmxHttpRequest, session: LiveSession, error: LiveError | None = None) -> HttpResponse:
    if error is not None:
        messages.error(request, str(error))
    return redirect(session)


@login_required
@require_GET
def live_list(request: HtmxHttpRequest) -> HttpResponse:
    live_sessions_close_idle(sessions=LiveSession.objects.for_user(request.user))
    sessions = LiveSession.objects.select_related("interviewer", "candidate").order_by("-created_at")
    tables = [
        (_("Sessions you ran"), sessions.filter(interviewer=request.user), _("Candidate")),
        (_("Sessions you were interviewed in"), sessions.filter(candidate=request.user), _("Interviewer")),
    ]
    return render(request, "live/list.html", {"tables": tables})


@login_required
@require_http_methods(["GET", "POST"])
def live_new(request: HtmxHttpRequest) -> HttpResponse:
    form = SessionSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = live_session_create(interviewer=request.user, choice=form.choice())
        except LiveError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(session)
    return render(request, "live/new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def live_join(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The invite link. Unknown tokens are a 404; used, revoked and expired ones say so."""
    session = get_object_or_404(LiveSession.objects.select_related("interviewer"), invite_token=token)
    if request.user.pk == session.candidate_id:
        return redirect(session)
    refusal = invite_refusal(session, request.user, timezone.now())
    if request.method == "POST" and refusal is None:
        try:
            session = live_session_join(session=session, user=request.user)
        except LiveError as exc:
            refusal = str(exc)
        else:
            return redirect(session)
    status = 200 if refusal is None else 410
    return render(request, "live/join.html", {"session": session, "refusal": refusal}, status=status)


def _screen_context(session: LiveSession, role: str) -> dict:
    """What one person's screen shows. The candidate's context never holds notes, ticks or ratings."""
    now = timezone.now()
    current = session.questions.select_related("version").get(position=session.position) if session.position else None
    context = {
        "session": session,
        "role": role,
        "item": current,
        "total": session.questions.count(),
        "remaining": session.remaining(now),
        "running": session.status == LiveSession.Status.RUNNING,
        "etag": _etag(role, session.status, session.position, session.version, session.scratch_version),
        "poll_at": f"{session.status}.{session.position}",
    }
    if role == INTERVIEWER:
        context["invite_state"] = session.invite_state(now)
        context["finish_form"] = FinishForm(initial={"feedback": session.feedback})
        if current is not None:
            context["key_points"] = current.key_point_rows()
            context["assess_form"] = AssessForm(
                initial={"ticked": current.ticked, "notes": current.notes, "rating": current.rating},
                key_point_count=len(current.version.key_points),
            )
            context["hint_form"] = HintForm(initial={"hint": current.hint})
            context["is_last"] = session.position == context["total"]
    elif current is not None:
        context["scratch_form"] = ScratchForm(initial={"scratch": current.scratch})
    return context


def _etag(role: str, status: str, position: int, version: int, scratch_version: int) -> str:
    """The state one screen shows. The candidate's ignores the scratch text: they typed it."""
    scratch = scratch_version if role == INTERVIEWER else 0
    return f'"{role}.{status}.{position}.{version}.{scratch}.{translation.get_language()}"'


def _poll_row(public_id: str) -> dict | None:
    """The session's state for the poll, in one plain SELECT.

    This runs about once a second per screen; as plain SQL it skips the ORM's compiling of the
    query, about a third of the poll's time when profiled. `idle` is the sweep's rule (LIVE_IDLE_MINUTES).
    """
    table = LiveSession._meta.db_table
    open_statuses = ", ".join(["%s"] * len(OPEN_STATUSES))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT interviewer_id, candidate_id, status, position, version, scratch_version,"  # noqa: S608 - a table name, not input
            f" (status IN ({open_statuses}) AND updated_at < %s) FROM {table} WHERE public_id = %s",
            [*OPEN_STATUSES, idle_before(timezone.now()), public_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    fields = ("interviewer_id", "candidate_id", "status", "position", "version", "scratch_version", "idle")
    return dict(zip(fields, row, strict=True))


def _reload() -> HttpResponse:
    """Tell htmx to load the whole page again."""
    response = HttpResponse()
    response["HX-Refresh"] = "true"
    return response


def _session_user_id(request: HtmxHttpRequest):
    """The signed-in user's id as the session holds it, without loading (or re-checking) the user."""
    value = request.session.get(SESSION_KEY)
    try:
        return get_user_model()._meta.pk.to_python(value) if value is not None else None
    except ValidationError:
        return None


def _poll(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    """The screens' poll, about once a second. Nothing new: one query and a 304, as cheap as /healthz.

    The 304 is decided before the user is loaded: it tells the caller only that what they were last
    shown still holds, so the full check of the sign-in (a password changed elsewhere ends the
    session) can wait for the first poll with something new. A new question or state, or a
    session left idle too long, reloads the page (`HX-Refresh`); anything else swaps the state panel.
    """
    user_id = _session_user_id(request)
    if user_id is None:
        return _reload()  # the page then asks to sign in
    row = _poll_row(public_id)
    if row is None or user_id not in (row["interviewer_id"], row["candidate_id"]):
        raise Http404
    role = INTERVIEWER if user_id == row["interviewer_id"] else CANDIDATE
    etag = _etag(role, row["status"], row["position"], row["version"], row["scratch_version"])
    idle = bool(row["idle"])
    if not idle and etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    elif request.user.pk != user_id:  # the sign-in no longer holds: the page asks to sign in again
        return _reload()
    elif idle or request.GET.get("at") != f"{row['status']}.{row['position']}":
        response = _reload()
    else:
        session, role = _get_session_for_user(request, public_id)
        response = render(request, f"live/{role}.html#state", _screen_context(session, role))
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
def _screen(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    session, role = _get_session_for_user(request, public_id)
    if not session.is_open:
        return redirect("live_report", public_id=public_id)
    context = _screen_context(session, role)
    context["invite_url"] = request.build_absolute_uri(reverse("live_join", args=[session.invite_token]))
    return render(request, f"live/{role}.html", context)


@require_GET
def live_session(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    """Each person's screen (signed in only); with htmx, the poll of its state panel."""
    response = _poll(request, public_id) if request.htmx else _screen(request, public_id)
    patch_vary_headers(response, ["HX-Request"])
    return response


INVITE_ACTIONS = {"revoke": invite_revoke, "renew": invite_renew}
CLOCK_ACTIONS = {"start": clock_start, "pause": clock_pause}


@login_required
@require_POST
def live_invite(request: HtmxHttpRequest, public_id: str, action: str) -> HttpResponse:
    session = _get_session_for_role(request, public_id, INTERVIEWER)
    if action not in INVITE_ACTIONS:
        raise Http404
    try:
        INVITE_ACTIONS[action](session=session)
    except LiveError as exc:
        return _back(request, session, exc)
    return _back(request, session)


@login_required
@require_POST
def live_clock(request: HtmxHttpRequest, public_id: str, action: str) -> HttpResponse:
    """Start, pause and next: the interviewer's controls. Plain posts; the page reloads with the new state."""
    session = _get_session_for_role(request, public_id, INTERVIEWER)
    try:
        if action == "next":
            question_next(session=session, position=_int(request.POST.get("position")))
        elif action in CLOCK_ACTIONS:
            CLOCK_ACTIONS[action](session=session)
        else:
            raise Http404
    except LiveError as exc:
        return _back(request, session, exc)
    return _back(request, session)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _get_question(session: LiveSession, position: int) -> LiveQuestion:
    return get_object_or_404(session.questions.select_related("version"), position=position)


def _save_as_you_type(
    request, session, form, save, partial: str, context: dict, moment: str = "saved_at"
) -> HttpResponse:
    """One autosaving control: `save(cleaned_data)` returns the moment saved (shown as `moment`); a
    refusal is 422 (bad input) or 409 (the session cannot take it now). htmx gets the control's state
    partial; a plain post goes back to the screen with the error as a message."""
    status = 200
    if not form.is_valid():
        status, context["error"] = 422, next(iter(form.errors.values()))[0]
    else:
        try:
            context[moment] = save(form.cleaned_data)
        except LiveError as exc:
            status, context["error"] = 409, str(exc)
    if not request.htmx:
        return _back(request, session, LiveError(context["error"]) if "error" in context else None)
    return render(request, partial, context, status=status)


@login_required
@require_POST
def live_assess(request: HtmxHttpRequest, public_id: str, position: int) -> HttpResponse:
    """The interviewer's ticks, notes and rating; saved as they change (htmx) or with the button."""
    session = _get_session_for_role(request, public_id, INTERVIEWER)
    item = _get_question(session, position)

    def save(data):
        now = timezone.now()
        question_assess(
            session=session,
            position=position,
            ticked=set(data["ticked"]),
            notes=data["notes"],
            rating=data["rating"],
            now=now,
        )
        return now

    form = AssessForm(request.POST, key_point_count=len(item.version.key_points))
    return _save_as_you_type(request, session, form, save, "live/interviewer.html#assess-state", {"item": item})


@login_required
@require_POST
def live_hint(request: HtmxHttpRequest, public_id: str, position: int) -> HttpResponse:
    session = _get_session_for_role(request, public_id, INTERVIEWER)

    def save(data):
        return hint_reveal(session=session, position=position, text=data["hint"])

    form = HintForm(request.POST)
    return _save_as_you_type(request, session, form, save, "live/interviewer.html#hint-state", {}, "revealed_at")


@login_required
@require_POST
def live_scratch(request: HtmxHttpRequest, public_id: str, position: int) -> HttpResponse:
    """The candidate's scratch box, saved as they type."""
    session = _get_session_for_role(request, public_id, CANDIDATE)

    def save(data):
        return scratch_save(session=session, position=position, text=data["scratch"])

    form = ScratchForm(request.POST)
    return _save_as_you_type(request, session, form, save, "live/candidate.html#scratch-state", {})


@login_required
@require_POST
def live_finish(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    session = _get_session_for_role(request, public_id, INTERVIEWER)
    form = FinishForm(request.POST)
    if not form.is_valid():
        return _back(request, session, LiveError(form.errors["feedback"][0]))
    live_session_finish(session=session, feedback=form.cleaned_data["feedback"])
    return redirect("live_report", public_id=public_id)


@login_required
@require_GET
def live_report(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    """The same report for both people, once the session has ended."""
    session, role = _get_session_for_user(request, public_id)
    if session.is_open:
        return redirect(session)
    items = list(session.questions.select_related("version", "question__topic"))
    rated = [item for item in items if item.rating is not None]
    covered = [item.coverage for item in items if item.position <= session.position and item.coverage is not None]
    for item in items:
        item.key_points = item.key_point_rows()
    context = {
        "session": session,
        "role": role,
        "items": items,
        "rated_count": len(rated),
        "overall": sum(covered) / len(covered) if covered else None,
        "swapped_into": session.swapped_into,
    }
    return render(request, "live/report.html", context)


@login_required
@require_POST
def live_swap(request: HtmxHttpRequest, public_id: str) -> HttpResponse:
    session = _get_session_for_user(request, public_id)[0]
    try:
        second = live_session_swap(session=session)
    except LiveError as exc:
        messages.error(request, str(exc))
        return redirect("live_report", public_id=public_id)
    return redirect(second)
