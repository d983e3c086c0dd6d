"""The report: figures from the summary service, labels, key points, one self-assessment form."""

import pytest

from interviews.tests.conftest import REFERENCE_TEXT, submit_all


def test_it_shows_the_figures_and_the_reference(user_client, bank, clock, start):
    interview = start()
    submit_all(user_client, interview, ["我会用并行计算和混合精度训练", "并行计算", ""])
    report = user_client.get(f"/interviews/{interview.pk}/report/").content.decode()
    assert "75%" in report  # the average over the two answered questions
    assert "You answered 2 of 3 questions." in report
    assert "Unanswered" in report and REFERENCE_TEXT in report
    assert "Practise your weakest topic: 训练" in report


def test_one_form_assesses_every_answered_question(user_client, bank, clock, start):
    interview = start()
    submit_all(user_client, interview, ["并行计算", "并行计算", ""])
    report = user_client.get(f"/interviews/{interview.pk}/report/").content.decode()
    assert report.count("<form method=\"post\" action=\"/interviews/") == 1
    assert report.count('name="rating-1"') == 4 and report.count('name="rating-2"') == 4
    assert 'name="rating-3"' not in report
    assert 'name="covered-1" value="0" id="q1-kp-0" checked' in report


def test_a_question_closed_by_the_clock_is_labelled_timed_out(user_client, bank, clock, start, hx):
    interview = start()
    user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "并行计算"}, **hx)
    clock.shift(62)  # the browser's own submit at 0:00, inside the grace
    user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "并行计算"})
    user_client.post(f"/interviews/{interview.pk}/end/")
    report = user_client.get(f"/interviews/{interview.pk}/report/").content.decode()
    first = report.split('id="q-1"')[1].split('id="q-2"')[0]
    assert "Timed out" in first and "your saved answer was submitted when time ran out" in first
    assert "badge ok" not in first


def test_a_key_point_without_text_shows_no_dangling_separator(user_client, bank, clock, start):
    interview = start()
    version = interview.questions.get(position=1).version
    version.key_points = [{"id": None, "label": "只有标签", "text": ""}]
    version.save()
    user_client.post(f"/interviews/{interview.pk}/end/")
    report = user_client.get(f"/interviews/{interview.pk}/report/").content.decode()
    assert "<strong>只有标签</strong>\n" in report and "只有标签</strong>：" not in report


def test_another_candidate_gets_404(user_client, other_client, bank, clock, start):
    interview = start()
    user_client.post(f"/interviews/{interview.pk}/end/")
    assert other_client.get(f"/interviews/{interview.pk}/report/").status_code == 404


@pytest.mark.django_db
def test_it_needs_a_signed_in_user(client):
    assert client.get("/interviews/1/report/").url.startswith("/accounts/login/")


def test_its_queries_do_not_grow_with_questions(user_client, bank, clock, start, django_assert_max_num_queries):
    interview = start(count=4)
    submit_all(user_client, interview, ["并行计算"] * 4)
    # session, user, interview, sync lock (+savepoint, release), reference rule, items, key point
    # results, results, weakest topic id, that topic, the interview's topics
    with django_assert_max_num_queries(13):
        user_client.get(f"/interviews/{interview.pk}/report/")
