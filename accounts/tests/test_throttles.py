"""What is throttled, and that the throttles see the client's own address behind a proxy."""

import pytest
from django.core import mail

from accounts.tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def wrong_passwords(client, settings, address):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"login": "owner", "password": "wrong"}, HTTP_X_FORWARDED_FOR=address)


def test_failures_from_one_client_behind_the_proxy_do_not_lock_out_another(client, user, settings, behind_one_proxy):
    wrong_passwords(client, settings, "203.0.113.7")
    response = client.post(LOGIN, {"login": "owner", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert response.status_code == 302


def test_the_client_that_failed_is_locked_out_behind_the_proxy(client, user, settings, behind_one_proxy):
    wrong_passwords(client, settings, "203.0.113.7")
    # The proxy appends the address it saw; what the client wrote before it is not trusted.
    response = client.post(
        LOGIN, {"login": "owner", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7"
    )
    assert response.status_code == 429


def test_without_a_proxy_the_forwarded_header_is_ignored(client, user, settings):
    wrong_passwords(client, settings, "203.0.113.7")
    response = client.post(LOGIN, {"login": "owner", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert response.status_code == 429


def test_password_reset_requests_are_throttled_per_address(client, db):
    UserFactory(username="owner", email_confirmed=True)
    statuses = [client.post("/accounts/password/reset/", {"email": "owner@example.com"}).status_code for _ in range(7)]
    assert statuses == [302] * 5 + [429] * 2
    assert len(mail.outbox) == 5


def test_password_reset_requests_are_throttled_per_ip(client, db):
    statuses = [
        client.post("/accounts/password/reset/", {"email": f"someone{n}@example.com"}).status_code for n in range(25)
    ]
    assert statuses[:20] == [302] * 20
    assert statuses[20:] == [429] * 5


def test_sign_ups_are_throttled_per_ip(client, db):
    statuses = []
    for n in range(12):
        client.logout()
        data = {
            "username": f"newbie{n}",
            "email": f"newbie{n}@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
        statuses.append(client.post("/accounts/signup/", data).status_code)
    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429] * 2


def test_password_checks_on_change_password_are_throttled(user_client, user):
    data = {"oldpassword": "wrong", "password1": "An0ther-good-one", "password2": "An0ther-good-one"}
    statuses = [user_client.post("/accounts/password/change/", data).status_code for _ in range(7)]
    assert 429 in statuses
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_checks_on_delete_account_are_throttled(user_client, user, settings):
    statuses = [
        user_client.post("/accounts/profile/delete/", {"password": "wrong"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert statuses[-1] == 429
    # Even the right password is refused now: the throttle is not a hint.
    assert user_client.post("/accounts/profile/delete/", {"password": PASSWORD}).status_code == 429
    assert type(user).objects.filter(pk=user.pk).exists()


def test_a_throttled_delete_does_not_throttle_other_candidates(user_client, user, settings, client):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        user_client.post("/accounts/profile/delete/", {"password": "wrong"})
    UserFactory(username="neighbour")
    response = client.post(LOGIN, {"login": "neighbour", "password": PASSWORD})
    assert response.status_code == 302


def test_the_admins_sign_in_is_locked_out_too(client, settings, db):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "boss", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "boss", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_proxy_count_comes_from_the_environment():
    from quizsite.tests.test_settings import manage

    script = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.AXES_CLIENT_IP_CALLABLE)"
    result = manage("shell", "-c", script, DJANGO_PROXY_COUNT="2")
    assert result.stdout.split()[-2:] == ["2", "accounts.throttle.client_ip"]


@pytest.mark.parametrize("path", [LOGIN, "/accounts/signup/", "/accounts/password/reset/"])
def test_a_request_that_skipped_a_proxy_is_refused_not_an_error(client, db, settings, path):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    data = {"login": "owner", "password": "wrong", "email": "someone@example.com", "username": "x"}
    response = client.post(path, data, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 403
