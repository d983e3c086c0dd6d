"""Attempts (every answer a candidate gives, in practice or in an interview) and review cards."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from questions.models import KeyPoint, Question, QuestionVersion


class Rating(models.IntegerChoices):
    # The values are FSRS's.
    AGAIN = 1, _("Again")
    HARD = 2, _("Hard")
    GOOD = 3, _("Good")
    EASY = 4, _("Easy")


class Mode(models.TextChoices):
    PRACTICE = "practice", _("Practice")
    INTERVIEW = "interview", _("Interview")


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user):
        """A candidate's own attempts, never anyone else's."""
        return self.filter(user=user)

    def answered(self):
        """Attempts with a written answer, scored (not blank interview questions)."""
        return self.filter(score__isnull=False)

    def last_rated(self):
        """The most recently rated attempt (of a candidate's, after for_user): the one undo may take back."""
        return self.filter(rating__isnull=False).order_by("-rated_at", "-pk").first()


class Attempt(models.Model):
    """One answer to one question version. Attempts are the one source for dashboards."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempts")
    # What was asked, frozen: editing the question later never changes it.
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="attempts")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.PRACTICE)
    answer = models.TextField(blank=True)
    answered_in_head = models.BooleanField(default=False)
    # Coverage as the scorer saw it, and as the candidate corrected it (what counts).
    auto_score = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    scorer_version = models.CharField(max_length=20, blank=True)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    seconds_taken = models.PositiveIntegerField(default=0)
    # The signed note of the card display this answers: one attempt per card shown.
    card_token = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    rated_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1), name="attempt_score_between_0_and_1"
            ),
            models.CheckConstraint(
                condition=Q(auto_score__isnull=True) | Q(auto_score__gte=0, auto_score__lte=1),
                name="attempt_auto_score_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=4), name="attempt_rating_1_to_4"
            ),
            models.UniqueConstraint(
                fields=["user", "card_token"], condition=~Q(card_token=""), name="attempt_one_per_card_shown"
            ),
        ]
        indexes = [
            # A candidate's history and trends, newest first (dashboard, topic page).
            models.Index(fields=["user", "-created_at"], name="attempt_user_recent_idx"),
            # A candidate's attempts at one question (topic page, history).
            models.Index(fields=["user", "question"], name="attempt_user_question_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question_id} · {self.created_at:%Y-%m-%d %H:%M}"

    def key_point_rows(self) -> list[dict]:
        """The key points this attempt was scored on (label, text), each with whether it covered
        them and the evidence. A question without key points was scored on derived ones (no text)."""
        texts = {i: kp.get("text", "") for i, kp in enumerate(self.version.key_points)}
        return [
            {
                "label": row.label,
                "text": texts.get(row.position, ""),
                "position": row.position,
                "covered": row.covered,
                "auto_covered": row.auto_covered,
                "evidence": row.evidence,
            }
            for row in self.key_point_results.all()
        ]


class AttemptKeyPoint(models.Model):
    """Whether one attempt covered one key point of the version it answered."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="key_point_results")
    # The live key point, for "missed most often"; null once an editor deletes it.
    key_point = models.ForeignKey(KeyPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="results")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    auto_covered = models.BooleanField(default=False)
    covered = models.BooleanField(default=False)
    # What the scorer matched: [[start, end, the key point's words], ...], spans of the attempt's answer.
    evidence = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_keypoint_unique_position"),
        ]
        indexes = [
            # Missed key points per key point (dashboards, editors' statistics).
            models.Index(fields=["key_point", "covered"], name="attempt_kp_missed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {'covered' if self.covered else 'missed'}"


class ReviewCardQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def due(self, now=None):
        """Cards whose review is due now."""
        return self.filter(due__lte=now or timezone.now())


class ReviewCard(models.Model):
    """The FSRS state of one question for one candidate."""

    class State(models.IntegerChoices):
        # The values are FSRS's.
        LEARNING = 1, _("Learning")
        REVIEW = 2, _("Review")
        RELEARNING = 3, _("Relearning")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_cards")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(default=timezone.now)
    last_review = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)

    objects = ReviewCardQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="reviewcard_one_per_user_question"),
        ]
        indexes = [
            # "Due for review": a candidate's cards by due time.
            models.Index(fields=["user", "due"], name="reviewcard_user_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question_id} · due {self.due:%Y-%m-%d %H:%M}"
