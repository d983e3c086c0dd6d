"""Editors maintain the bank in the admin without rewriting anyone's history."""

import html
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from accounts.tests.factories import UserFactory
from practice.services import attempt_record
from questions.models import BankUpload, Question, QuestionVersion
from questions.tests.factories import QuestionFactory, TopicFactory

CHANGELIST = "/admin/questions/question/"
SEED = Path(__file__).resolve().parents[2] / "fixtures" / "bank.md"
BANKS = Path(__file__).resolve().parent / "banks"


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
            **({f"key_points-{i}-is_derived": "on"} if kp.is_derived else {}),
            **({"tags": question.tags} if question.tags else {}),
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


def preview(client, name: str, data: bytes, **fields):
    return client.post(f"{CHANGELIST}import/", {"file": SimpleUploadedFile(name, data), **fields})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_upload_preview_then_confirm(editor_client, db):
    response = preview(editor_client, "bank.md", SEED.read_bytes())
    body = response.content.decode()
    assert "nothing has been written yet" in body and "11 created" in body and "duplicates merged: 9" in body
    assert "Detected format: markdown; questions found as headings level 4." in body
    assert "GPU内存" in body  # key points of the new questions
    assert Question.objects.count() == 0
    assert not BankUpload.objects.filter(path__contains="session").exists()
    response = editor_client.post(f"{CHANGELIST}import/", {"confirm": "1", "token": token_of(response)})
    assert response.status_code == 302
    assert Question.objects.count() == 11


def test_a_confirm_is_consumed_once(editor_client, db):
    token = token_of(preview(editor_client, "bank.md", SEED.read_bytes()))
    editor_client.post(f"{CHANGELIST}import/", {"confirm": "1", "token": token})
    response = editor_client.post(f"{CHANGELIST}import/", {"confirm": "1", "token": token}, follow=True)
    assert "imported already or has expired" in response.content.decode()
    assert Question.objects.count() == 11


def test_another_editors_upload_cannot_be_confirmed(editor_client, other_user, db):
    token = token_of(preview(editor_client, "bank.md", SEED.read_bytes()))
    other_user.is_superuser = other_user.is_staff = True
    other_user.save()
    other = Client()
    other.force_login(other_user)
    other.post(f"{CHANGELIST}import/", {"confirm": "1", "token": token})
    assert Question.objects.count() == 0


def test_the_preview_shows_a_diff_per_changed_question_and_one_can_be_left_out(editor_client, tmp_path, db):
    call_command("import_bank", str(SEED), stdout=io.StringIO())
    text = SEED.read_text().replace("减少模型大小和计算量", "减少参数量").replace("加速推理过程", "加快推理")
    response = preview(editor_client, "bank.md", text.encode())
    body = html.unescape(response.content.decode())
    assert "2 updated" in body and body.count('name="accept"') == 2
    assert "减少模型大小和计算量" in body and "减少参数量" in body  # old and new side by side
    keys = re.findall(r'name="accept" value="([^"]+)"', body)
    editor_client.post(
        f"{CHANGELIST}import/", {"confirm": "1", "token": token_of(response), "offered": keys, "accept": keys[:1]}
    )
    assert Question.objects.filter(key_points__text__contains="减少参数量").count() == 1
    assert Question.objects.filter(key_points__text__contains="加快推理").count() == 0


def test_the_preview_lists_skipped_entries_with_their_lines(editor_client, db):
    bad = "#### 1. 问题？\n**答案：** 是。\n\n#### 2. 没有答案？\n".encode()
    body = preview(editor_client, "bad.md", bad).content.decode()
    assert "bad.md:4: question 2 has no answer" in body and "1 created" in body


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("bad.md", b"#### 1. a\n\xff\n", "bad.md:2: this line is not valid UTF-8"),
        ("empty.md", b"", "The submitted file is empty."),
        ("bank.pdf", b"%PDF", "Upload a .md, .txt, .gift, .csv, .tsv, .json or .zip file."),
        ("bank.zip", b"PK\x03\x04 broken", "bank.zip:1: not a valid .zip archive"),
        ("bank.json", b"[{]", "bank.json:1: not valid JSON"),
        ("n" * 201 + ".md", b"## 1. a?\n\nb\n", "longer than 200 characters"),
        ("nul.md", b"## 1. a\x00?\n\nb\n", "nul.md:1: question 1 contains a NUL character"),
    ],
    ids=["bad-bytes", "empty", "extension", "zip", "json", "long-name", "nul"],
)
def test_a_bad_upload_gets_a_message_never_a_500(editor_client, db, name, data, message):
    response = preview(editor_client, name, data)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert Question.objects.count() == 0


def test_an_upload_over_50_mb_is_refused_with_a_message(editor_client, db, settings):
    settings.BANK_UPLOAD_MAX_BYTES = 10
    body = preview(editor_client, "bank.md", b"## 1. a?\n\nbbbbbbbbbbb\n").content.decode()
    assert "the limit is 50 MB" in body
    settings.BANK_UPLOAD_MAX_BYTES = 100
    assert "1 created" in preview(editor_client, "bank.md", b"## 1. a?\n\nbbbbbbbbbbb\n").content.decode()


def test_every_format_uploads(editor_client, db):
    for name in ("every_type.gift", "notes.txt", "nested.md"):
        body = preview(editor_client, name, (BANKS / name).read_bytes()).content.decode()
        assert " created" in body and "0 skipped" in body, name


def test_the_bulk_delete_leaves_protected_questions_alone_with_a_message(editor_client, user, db):
    from interviews.services import InterviewSettings, interview_start

    drawn = [QuestionFactory(topic=TopicFactory(slug="t")) for _ in range(3)]
    spare = QuestionFactory()
    interview_start(user=user, choice=InterviewSettings(3, [drawn[0].topic], 60, None))
    ids = [q.pk for q in drawn] + [spare.pk]
    response = editor_client.post(CHANGELIST, {"action": "delete_unanswered", "_selected_action": ids}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "3 questions were not deleted: mock interviews asked them" in body and "Deleted 1 question." in body
    assert set(Question.objects.values_list("pk", flat=True)) == {q.pk for q in drawn}


def test_a_derived_key_point_can_be_accepted_in_the_admin(editor_client, db):
    question = QuestionFactory()
    question.key_points.update(is_derived=True)
    data = change_form(question)
    del data["key_points-1-is_derived"]  # unticked: accepted as written
    editor_client.post(f"{CHANGELIST}{question.pk}/change/", data)
    assert list(question.key_points.values_list("is_derived", flat=True)) == [True, False]


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
    out = io.StringIO()
    call_command("export_bank", stdout=out)
    assert out.getvalue() == editor_client.get(f"{CHANGELIST}export.md").content.decode()
