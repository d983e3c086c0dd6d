"""A live session holding a coding question: the candidate's scratch box is coding's code editor, the
interviewer reads the code."""

import pytest

from coding.tests.factories import SOLUTION, CodingQuestionFactory
from live.services import SessionChoice, clock_start, live_session_create, live_session_join

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def coding_session(interviewer, candidate, db):
    question = CodingQuestionFactory()
    session = live_session_create(
        interviewer=interviewer, choice=SessionChoice(seconds_per_question=120, questions=[question])
    )
    return clock_start(session=live_session_join(session=session, user=candidate))


def test_the_candidate_writes_code_in_the_code_editor_and_the_interviewer_sees_it(
    candidate_client, interviewer_client, coding_session
):
    base = f"/live/{coding_session.public_id}/"
    page = candidate_client.get(base).content.decode()
    assert "data-code-editor" in page and 'name="scratch"' in page and 'id="scratch-1"' in page
    assert f'hx-post="{base}questions/1/scratch/"' in page and 'hx-target="#scratch-state"' in page
    assert "def add(a, b):\n    pass" in page  # the starter code
    assert "vendor/codemirror/editor.js" in page
    assert "Run samples" not in page and "return a + b" not in page  # no runs, no reference solution
    saved = candidate_client.post(f"{base}questions/1/scratch/", {"scratch": SOLUTION}, **HX)
    assert saved.status_code == 200 and "Saved at" in saved.content.decode()
    seen = interviewer_client.get(base).content.decode()
    assert '<pre class="your-answer code" id="candidate-scratch"><code>def add(a, b):\n    return a + b\n</code></pre>' in seen


def test_a_free_text_question_keeps_the_plain_scratch_box(candidate_client, running):
    page = candidate_client.get(f"/live/{running.public_id}/").content.decode()
    assert "data-code-editor" not in page and 'name="scratch"' in page
