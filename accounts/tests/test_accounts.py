"""Sign-up, sign-in, the throttle, password change and reset, as a candidate meets them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

from accounts.tests.factories import PASSWORD, UserFactory

User = get_user_model()


@pytest.mark.django_db
def test_a_visitor_signs_up_and_is_signed_in(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "newbie", "email": "newbie@example.com", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.context["user"].username == "newbie"
    assert User.objects.get(username="newbie").email == "newbie@example.com"
    assert "Welcome! Pick a topic to start practising." in response.content.decode()


@pytest.mark.django_db
def test_sign_up_refuses_a_weak_password_and_creates_nothing(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "newbie", "email": "newbie@example.com", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_sign_in_and_sign_out(client, user):
    response = client.post("/accounts/login/", {"login": "owner", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/accounts/profile/").status_code == 302


def test_a_wrong_password_and_an_unknown_user_get_the_same_message(client, user):
    wrong = client.post("/accounts/login/", {"login": "owner", "password": "nope"}).content.decode()
    unknown = client.post("/accounts/login/", {"login": "ghost", "password": "nope"}).content.decode()
    message = "The username and/or password you specified are not correct."
    assert message in wrong and message in unknown


def test_sign_in_is_throttled_after_repeated_failures(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"login": "owner", "password": "wrong"})
    response = client.post("/accounts/login/", {"login": "owner", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change(user_client, user):
    response = user_client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "An0ther-good-one", "password2": "An0ther-good-one"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("An0ther-good-one")


def test_password_reset_through_the_outbox(client, db):
    user = UserFactory(username="owner", email_confirmed=True)
    response = client.post("/accounts/password/reset/", {"email": "owner@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # allauth swaps the key into the session first
    response = client.post(form_url, {"password1": "Fresh-passw0rd!", "password2": "Fresh-passw0rd!"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Fresh-passw0rd!")


def test_password_reset_does_not_reveal_whether_an_account_exists(client, db):
    UserFactory(username="owner", email_confirmed=True)
    known = client.post("/accounts/password/reset/", {"email": "owner@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == "/accounts/password/reset/done/"
    assert [message.to for message in mail.outbox] == [["owner@example.com"]]


@pytest.mark.django_db
def test_the_editors_group_may_edit_questions_and_the_glossary_only():
    group = Group.objects.get(name="Question editors")
    labels = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert labels == {"questions", "grading"}
    assert set(group.permissions.filter(content_type__app_label="grading").values_list("codename", flat=True)) == {
        "add_glossaryconcept",
        "change_glossaryconcept",
        "delete_glossaryconcept",
        "view_glossaryconcept",
    }
    assert group.permissions.filter(codename="change_question").exists()
    assert not group.permissions.filter(codename="change_questionversion").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/profile/", "/accounts/profile/export/", "/accounts/profile/delete/"])
def test_account_pages_need_a_signed_in_user(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_the_landing_page_offers_sign_up_and_sign_in(client, seeded_bank):
    body = client.get("/").content.decode()
    assert 'href="/accounts/signup/"' in body and 'href="/accounts/login/"' in body
    assert "4 questions" in body


def test_every_post_needs_a_csrf_token(user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"login": "owner", "password": PASSWORD})
    assert response.status_code == 403
