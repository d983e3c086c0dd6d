"""The one self-assessment form of a report."""

from interviews.tests.conftest import submit_all
from practice.models import Rating, ReviewCard
from progress.models import Activity


def test_it_rates_and_schedules_every_assessed_question(user_client, user, bank, clock, start):
    interview = start()
    submit_all(user_client, interview, ["并行计算", "并行计算", ""])
    response = user_client.post(
        f"/interviews/{interview.pk}/report/assess/",
        {"covered-1": ["0", "1"], "rating-1": Rating.GOOD, "rating-2": Rating.AGAIN},
    )
    assert response.url == f"/interviews/{interview.pk}/report/#assessment"
    first, second = (interview.questions.get(position=p).attempt for p in (1, 2))
    assert (first.score, first.rating) == (1.0, Rating.GOOD)
    assert (second.score, second.rating) == (0.0, Rating.AGAIN)
    assert ReviewCard.objects.filter(user=user).count() == 2
    report = user_client.get(response.url).content.decode()
    assert "2 questions rated" in report and "You rated it Good" in report
    assert "Save my self-assessment" not in report


def test_a_question_already_rated_stays_as_it_is(user_client, bank, clock, start):
    interview = start()
    submit_all(user_client, interview, ["并行计算", "并行计算", "并行计算"])
    url = f"/interviews/{interview.pk}/report/assess/"
    user_client.post(url, {"rating-1": Rating.GOOD})
    user_client.post(url, {"rating-1": Rating.AGAIN, "rating-2": Rating.HARD})
    assert interview.questions.get(position=1).attempt.rating == Rating.GOOD
    assert interview.questions.get(position=2).attempt.rating == Rating.HARD


def test_no_rating_at_all_is_refused_with_a_message(user_client, bank, clock, start):
    interview = start()
    submit_all(user_client, interview, ["并行计算", "并行计算", "并行计算"])
    response = user_client.post(f"/interviews/{interview.pk}/report/assess/", {"rating-1": "9"}, follow=True)
    assert "Choose how well you recalled at least one answer." in response.content.decode()
    assert interview.questions.get(position=1).attempt.rating is None


def test_a_running_interview_cannot_be_assessed(user_client, bank, clock, start):
    interview = start()
    response = user_client.post(f"/interviews/{interview.pk}/report/assess/", {"rating-1": Rating.GOOD})
    assert response.url == f"/interviews/{interview.pk}/"


def test_another_candidate_gets_404(user_client, other_client, bank, clock, start):
    interview = start()
    submit_all(user_client, interview, ["并行计算", "并行计算", "并行计算"])
    response = other_client.post(f"/interviews/{interview.pk}/report/assess/", {"rating-1": Rating.GOOD})
    assert response.status_code == 404
    assert interview.questions.get(position=1).attempt.rating is None


def test_it_moves_the_activity_stamp_so_the_dashboard_shows_it_at_once(user_client, user, bank, clock, start):
    interview = start()
    submit_all(user_client, interview, ["并行计算", "并行计算", "并行计算"])
    before = user_client.get("/progress/?days=all").content.decode()  # cached before the assessment
    stamp = Activity.objects.get(user=user).token
    user_client.post(f"/interviews/{interview.pk}/report/assess/", {"rating-1": Rating.AGAIN})
    assert Activity.objects.get(user=user).token != stamp
    after = user_client.get("/progress/?days=all").content.decode()
    assert after != before
