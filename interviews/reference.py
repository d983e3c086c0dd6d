"""The one rule on reference material, asked by every page, partial, link and export that shows it.

A question's reference material is its reference answer, its key points (labels, texts and aliases,
and which of them an answer covered) and its explanation. A candidate may not see it while a running
interview of theirs holds the question: pending, open, or already answered in that interview. Once the
interview ends (finished, abandoned, or past its deadline and grace, when no answer can change any
more) the material is back. The same holds while the user is the candidate of an open live session
that holds the question (its interviewer sees the reference by design). Another candidate's interview
hides nothing.
"""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from .models import Interview, InterviewQuestion


def reference_withheld(*, user, question_ids: Iterable[int] | None = None, now: datetime | None = None) -> set[int]:
    """Ids of the questions (among `question_ids`, or all) whose reference `user` may not see now. One query."""
    if not user.is_authenticated:
        return set()
    # live depends on interviews (a finished session is saved as an Interview): import here, not at the top.
    from live.models import OPEN_STATUSES, LiveQuestion

    held = InterviewQuestion.objects.filter(
        interview__in=Interview.objects.for_user(user).running(now or timezone.now())
    )
    asked_live = LiveQuestion.objects.filter(session__candidate=user, session__status__in=OPEN_STATUSES)
    if question_ids is not None:  # ids, or a values() queryset of them (then one query still)
        held = held.filter(question_id__in=question_ids)
        asked_live = asked_live.filter(question_id__in=question_ids)
    # Model orderings would make the UNION invalid SQL.
    ids = held.order_by().values_list("question_id", flat=True)
    return set(ids.union(asked_live.order_by().values_list("question_id", flat=True)))


def may_see_reference(*, user, question) -> bool:
    """Whether `user` may see this question's reference material now. One query."""
    return question.pk not in reference_withheld(user=user, question_ids=[question.pk])
