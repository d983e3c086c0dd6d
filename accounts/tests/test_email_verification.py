"""E-mail addresses are confirmed by a link, and a password reset goes only to a confirmed one."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail
from django.utils.module_loading import import_string

from accounts.tests.factories import PASSWORD, UserFactory

RESET_LINK = r"http://testserver(/accounts/password/reset/key/\S+/)"
CONFIRM_LINK = r"http://testserver(/accounts/confirm-email/\S+/)"


def follow_confirmation(client, message):
    link = re.search(CONFIRM_LINK, message.body).group(1)
    return client.post(link)


@pytest.mark.django_db
def test_sign_up_sends_a_link_that_confirms_the_address(client):
    client.post(
        "/accounts/signup/",
        {"username": "newbie", "email": "newbie@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    address = EmailAddress.objects.get(email="newbie@example.com")
    assert not address.verified
    assert mail.outbox[0].to == ["newbie@example.com"]
    follow_confirmation(client, mail.outbox[0])
    address.refresh_from_db()
    assert address.verified


def test_a_reset_is_not_sent_to_an_unconfirmed_address(client, db):
    UserFactory(username="owner", email_confirmed=False)
    client.post("/accounts/password/reset/", {"email": "owner@example.com"})
    assert len(mail.outbox) == 1
    assert not re.search(RESET_LINK, mail.outbox[0].body)
    assert re.search(CONFIRM_LINK, mail.outbox[0].body)  # confirm first, then ask again


def test_once_confirmed_the_address_gets_the_reset(client, db):
    UserFactory(username="owner", email_confirmed=False)
    client.post("/accounts/password/reset/", {"email": "owner@example.com"})
    follow_confirmation(client, mail.outbox[0])
    client.post("/accounts/password/reset/", {"email": "owner@example.com"})
    assert re.search(RESET_LINK, mail.outbox[-1].body)


def test_an_account_made_with_someone_elses_address_never_gets_a_reset(client, db):
    UserFactory(username="impostor", email="victim@example.com", email_confirmed=False)
    client.post("/accounts/password/reset/", {"email": "victim@example.com"})
    assert not any(re.search(RESET_LINK, message.body) for message in mail.outbox)


def test_the_profile_links_to_the_address_page_that_shows_whether_it_is_confirmed(user_client, user):
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    assert 'href="/accounts/email/"' in user_client.get("/accounts/profile/").content.decode()
    page = user_client.get("/accounts/email/").content.decode()
    assert "owner@example.com" in page and "Unverified" in page


@pytest.mark.django_db
def test_existing_accounts_keep_their_address_and_password():
    migration = import_string("accounts.migrations.0002_email_addresses.addresses_from_users")
    old = UserFactory(username="veteran", email="Veteran@Example.com")
    UserFactory(username="no-mail", email="")
    EmailAddress.objects.all().delete()
    migration(apps, None)
    address = EmailAddress.objects.get()
    assert (address.user, address.email, address.primary, address.verified) == (old, "veteran@example.com", True, False)
    migration(apps, None)  # a second run adds nothing
    assert EmailAddress.objects.count() == 1


def test_an_existing_password_still_signs_in(client, db):
    UserFactory(username="veteran")  # hashed before allauth came
    response = client.post("/accounts/login/", {"login": "veteran", "password": PASSWORD})
    assert response.status_code == 302


def test_an_address_another_account_holds_cannot_sign_up_again(client, db):
    UserFactory(username="owner", email_confirmed=True)
    response = client.post(
        "/accounts/signup/",
        {"username": "thief", "email": "Owner@Example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "already registered with this email address" in response.content.decode()
    assert not UserFactory._meta.model.objects.filter(username="thief").exists()
