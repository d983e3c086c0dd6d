"""Every page, one test each (so a failure names its page): no sideways scrolling and no WCAG 2.1
A/AA violation found by axe-core, at phone and desktop width, in English and Chinese, light and dark."""

from pathlib import Path

import pytest

from interviews.services import InterviewSettings, answer_submit, interview_abandon, interview_serve, interview_start
from practice.models import Rating
from practice.services import attempt_rate, attempt_record
from questions.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
# (width, colour scheme, language): both widths in both languages, each in one of the schemes.
VIEWS = [(390, "light", "en"), (390, "dark", "zh-hans"), (1280, "dark", "en"), (1280, "light", "zh-hans")]
TRAINING = "如何优化大模型的训练过程以提高效率？"


def _history(candidate) -> dict[str, str]:
    """A candidate with a rated and an unrated practice answer, an ended and a running interview;
    returns the addresses that depend on them."""
    question = Question.objects.get(prompt=TRAINING)
    rated = attempt_record(user=candidate, question=question, answer="并行计算")
    attempt_rate(attempt=rated, covered_positions={0}, rating=Rating.GOOD)
    unrated = attempt_record(user=candidate, question=Question.objects.exclude(pk=question.pk).first(), answer="数据")
    choice = InterviewSettings(question_count=3, topics=[], seconds_per_question=180, total_seconds=None)
    ended = interview_start(user=candidate, choice=choice)
    answer_submit(interview=ended, position=1, text="并行计算，混合精度训练")
    interview_serve(interview=ended)
    answer_submit(interview=ended, position=2, text="数据并行")
    interview_abandon(interview=ended)
    # The running interview draws none of the questions above: a question it holds has its reference
    # withheld (interviews.reference), and those pages would send the candidate back to the interview.
    shown = {question.pk, unrated.question_id, *ended.questions.values_list("question_id", flat=True)}
    Question.objects.filter(pk__in=shown).update(is_published=False)
    running = interview_start(user=candidate, choice=choice)
    Question.objects.filter(pk__in=shown).update(is_published=True)
    return {
        "revealed": f"/practice/attempts/{unrated.pk}/",
        "rated": f"/practice/attempts/{rated.pk}/",
        "interview": f"/interviews/{running.pk}/",
        "report": f"/interviews/{ended.pk}/report/",
    }


# name → address (or the key of one made by _history), and whether it is seen signed in.
PAGES = {
    "home": ("/", False),
    "login": ("/accounts/login/", False),
    "signup": ("/accounts/signup/", False),
    "not-found": ("/no-such-page/", False),
    "practice": ("/practice/", True),
    "card": ("/practice/next/?scope=all", True),
    "revealed": ("revealed", True),
    "rated": ("rated", True),
    "interviews": ("/interviews/", True),
    "interview-new": ("/interviews/new/?topic=training", True),
    "interview": ("interview", True),
    "report": ("report", True),
    "dashboard": ("/progress/", True),
    "topic": ("/progress/topics/training/", True),
    "profile": ("/accounts/profile/", True),
}


@pytest.mark.parametrize("name", PAGES)
def test_the_page_is_readable_and_accessible(name, page, live_server, bank, candidate, sign_in, screenshots):
    path, signed_in = PAGES[name]
    if signed_in:
        path = _history(candidate).get(path, path)
    problems = []
    for width, scheme, language in VIEWS:
        page.context.clear_cookies()
        if signed_in:
            sign_in(candidate)
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(color_scheme=scheme)
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == language
        page.screenshot(path=screenshots / f"{name}-{width}-{language}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px in {language}"
        # WCAG 2.1 A and AA rules (contrast, labels, names, structure) checked by axe-core.
        page.evaluate(AXE.read_text())  # not a script tag: the page's CSP refuses inline scripts
        result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})")
        problems += [
            f"{width}px {scheme} {language}: {v['id']} {node['target']}"
            for v in result["violations"]
            for node in v["nodes"]
        ]
    assert problems == [], f"{name} ({path})"
