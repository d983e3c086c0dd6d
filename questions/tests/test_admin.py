"""Editors maintain the bank in the admin without rewriting anyone's history."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.tests.factories import UserFactory
from practice.services import attempt_record
from questions.models import Question, QuestionVersion
from questions.tests.factories import QuestionFactory

CHANGELIST = "/admin/questions/question/"


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Question editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def change_form(question, **changes) -> dict:
    """The admin change form as a browser would post it."""
    key_points = list(question.key_points.all())
    versions = list(question.versions.all())
    data = {
        "topic": question.topic_id,
        "prompt": question.prompt,
        "answer": question.answer,
        "explanation": question.explanation,
        "difficulty": question.difficulty,
        "is_published": "on",
        "source_file": question.source_file,
        "source_entries": question.source_entries,
        "key_points-TOTAL_FORMS": len(key_points),
        "key_points-INITIAL_FORMS": len(key_points),
        "key_points-MIN_NUM_FORMS": 0,
        "key_points-MAX_NUM_FORMS": 1000,
        "versions-TOTAL_FORMS": len(versions),
        "versions-INITIAL_FORMS": len(versions),
        "versions-MIN_NUM_FORMS": 0,
        "versions-MAX_NUM_FORMS": 1000,
    }
    for i, kp in enumerate(key_points):
        data |= {
            f"key_points-{i}-id": kp.pk,
            f"key_points-{i}-question": question.pk,
            f"key_points-{i}-order": kp.order,
            f"key_points-{i}-label": kp.label,
            f"key_points-{i}-text": kp.text,
            f"key_points-{i}-aliases": kp.aliases,
        }
    for i, version in enumerate(versions):
        data |= {f"versions-{i}-id": version.pk, f"versions-{i}-question": question.pk}
    return data | changes


def test_an_edit_makes_a_new_version_and_old_attempts_keep_the_old_text(editor_client, user, db):
    question = QuestionFactory(prompt="旧的问题？")
    attempt = attempt_record(user=user, question=question, answer="并行计算")
    data = change_form(
        question, prompt="新的问题？", **{"key_points-0-label": "并行训练", "key_points-1-aliases": "FP16, 半精度"}
    )
    response = editor_client.post(f"{CHANGELIST}{question.pk}/change/", data)
    assert response.status_code == 302 and response.url == CHANGELIST
    question.refresh_from_db()
    assert question.current_version.number == 2
    assert question.current_version.prompt == "新的问题？"
    assert [kp["label"] for kp in question.current_version.key_points] == ["并行训练", "混合精度训练"]
    attempt.refresh_from_db()
    assert attempt.version.number == 1 and attempt.version.prompt == "旧的问题？"
    candidate = Client()
    candidate.force_login(user)
    page = candidate.get(f"/practice/attempts/{attempt.pk}/").content.decode()
    assert "旧的问题？" in page and "新的问题？" not in page and "并行计算" in page


def test_saving_without_a_content_change_makes_no_version(editor_client, db):
    question = QuestionFactory()
    editor_client.post(f"{CHANGELIST}{question.pk}/change/", change_form(question, difficulty="hard"))
    assert QuestionVersion.objects.filter(question=question).count() == 1


def test_the_change_page_previews_the_sanitised_answer(editor_client, db):
    question = QuestionFactory(answer="**重点** <script>alert(1)</script>")
    body = editor_client.get(f"{CHANGELIST}{question.pk}/change/").content.decode()
    assert "<strong>重点</strong>" in body
    assert "<script>alert(1)</script>" not in body


def test_the_list_shows_attempts_and_coverage(editor_client, user, db):
    question = QuestionFactory(prompt="被回答过的问题？")
    attempt_record(user=user, question=question, answer="并行计算")
    body = editor_client.get(CHANGELIST).content.decode()
    assert "被回答过的问题？" in body and "50%" in body


def test_a_question_with_attempts_is_not_deleted(editor_client, user, db):
    question = QuestionFactory()
    attempt_record(user=user, question=question, answer="x")
    response = editor_client.post(f"{CHANGELIST}{question.pk}/delete/", {"post": "yes"}, follow=True)
    assert "cannot be deleted: unpublish it instead" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()
    response = editor_client.post(
        CHANGELIST, {"action": "delete_unanswered", "_selected_action": [question.pk]}, follow=True
    )
    assert "were not deleted" in response.content.decode() or "cannot be deleted" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_a_question_nobody_answered_can_be_deleted(editor_client, db):
    question = QuestionFactory()
    editor_client.post(f"{CHANGELIST}{question.pk}/delete/", {"post": "yes"})
    assert not Question.objects.filter(pk=question.pk).exists()


def test_unpublish_action(editor_client, db):
    question = QuestionFactory()
    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [question.pk]})
    question.refresh_from_db()
    assert not question.is_published


def test_upload_preview_then_confirm(editor_client, db):
    seed = open("fixtures/bank.md", "rb").read()
    response = editor_client.post(f"{CHANGELIST}import/", {"file": SimpleUploadedFile("bank.md", seed)})
    body = response.content.decode()
    assert "nothing has been written yet" in body and "11 created" in body and "duplicates merged: 9" in body
    assert Question.objects.count() == 0
    response = editor_client.post(f"{CHANGELIST}import/", {"confirm": "1"})
    assert response.status_code == 302
    assert Question.objects.count() == 11


def test_a_malformed_upload_is_refused_with_its_line_and_writes_nothing(editor_client, db):
    bad = "#### 1. 问题？\n**答案：** 是。\n\n#### 2. 没有答案？\n".encode()
    response = editor_client.post(f"{CHANGELIST}import/", {"file": SimpleUploadedFile("bad.md", bad)})
    assert "bad.md:4: entry 2 has no" in response.content.decode()
    assert Question.objects.count() == 0
    assert editor_client.post(f"{CHANGELIST}import/", {"confirm": "1"}).status_code == 302
    assert Question.objects.count() == 0


def test_exports(editor_client, seeded_bank):
    markdown = editor_client.get(f"{CHANGELIST}export.md")
    assert markdown["Content-Disposition"].startswith('attachment; filename="question-bank-')
    assert markdown.content.decode().count("#### ") == 11
    data = editor_client.get(f"{CHANGELIST}export.json").json()
    assert len(data) == 11


@pytest.mark.django_db
def test_only_staff_with_question_permissions_get_in(client, user_client, user):
    for c in (client, user_client):
        response = c.get(CHANGELIST)
        assert response.status_code == 302 and "/admin/login/" in response.url
    user.is_staff = True
    user.save()
    user_client.force_login(user)
    assert user_client.get(CHANGELIST).status_code == 403
    assert user_client.get(f"{CHANGELIST}import/").status_code == 403
    assert user_client.get(f"{CHANGELIST}export.md").status_code == 403


def test_export_bank_command_matches_the_admin_export(editor_client, seeded_bank):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("export_bank", stdout=out)
    assert out.getvalue() == editor_client.get(f"{CHANGELIST}export.md").content.decode()
