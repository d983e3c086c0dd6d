"""The generated data behind the scale benchmarks."""

from progress.demo import seed_demo, seed_questions
from questions.models import KeyPoint, Question


def test_seed_questions_makes_published_questions_with_versions_and_key_points(db):
    assert seed_questions(count=7, topics=3, key_points=2, batch=3) == 7
    questions = Question.objects.published().select_related("current_version")
    assert questions.count() == 7 and KeyPoint.objects.count() == 14
    for question in questions:
        assert [kp["label"] for kp in question.current_version.key_points] == [
            kp.label for kp in question.key_points.all()
        ]
    assert seed_demo(users=1, attempts_per_user=5).attempts == 5
