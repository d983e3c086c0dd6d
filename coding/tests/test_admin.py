"""Editors edit coding questions in the admin: code in monospace, tests checked, every change a version."""

import json

import pytest
from django.contrib.auth.models import Group

from accounts.tests.factories import UserFactory
from coding.tests.factories import CodingQuestionFactory
from questions.models import CODING_FIELDS
from questions.tests.test_admin import CHANGELIST, change_form


@pytest.fixture
def editor_client(client, db):
    """A member of the Question editors group, as the admin's own tests sign one in."""
    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Question editors"))
    client.force_login(editor)
    return client


def coding_form(question, **changes) -> dict:
    data = change_form(question)
    for name in ["kind", *CODING_FIELDS]:
        value = getattr(question, name)
        data[name] = json.dumps(value) if name.endswith("_io") else value
    return data | changes


def test_the_form_shows_the_code_in_monospace(editor_client, db):
    question = CodingQuestionFactory()
    html = editor_client.get(f"{CHANGELIST}{question.pk}/change/").content.decode()
    assert 'class="code"' in html and "css/coding.css" in html
    assert "Coding question" in html and "def add(a, b):" in html


def test_a_changed_hidden_test_makes_a_new_version_with_the_coding_fields(editor_client, db):
    question = CodingQuestionFactory()
    data = coding_form(question, hidden_tests="assert add(2, 2) == 4", solution_code="def add(a, b):\r\n    return a + b")
    response = editor_client.post(f"{CHANGELIST}{question.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    first, second = question.versions.order_by("number")
    assert first.coding["hidden_tests"] != second.coding["hidden_tests"] == "assert add(2, 2) == 4"
    assert second.coding["solution_code"] == "def add(a, b):\n    return a + b"
    assert second.coding["starter_code"] == question.starter_code.rstrip()  # the form strips the ends


def test_tests_that_are_not_python_are_refused_with_the_line(editor_client, db):
    question = CodingQuestionFactory()
    data = coding_form(question, sample_tests="assert add(1, 2) == 3\nassert (")
    response = editor_client.post(f"{CHANGELIST}{question.pk}/change/", data)
    assert response.status_code == 200
    assert "Line 2 is not valid Python" in response.content.decode()
    assert question.versions.count() == 1


def test_pairs_must_be_input_and_output(editor_client, db):
    question = CodingQuestionFactory()
    response = editor_client.post(f"{CHANGELIST}{question.pk}/change/", coding_form(question, sample_io='[{"in": 1}]'))
    assert response.status_code == 200 and "Write a list of pairs" in response.content.decode()
    good = coding_form(question, sample_io='[{"input": "1 2", "output": "3"}]')
    assert editor_client.post(f"{CHANGELIST}{question.pk}/change/", good).status_code == 302
    question.refresh_from_db()
    assert question.current_version.coding["sample_io"] == [{"input": "1 2", "output": "3"}]
