"""The profile page: preferences, data export, account deletion."""

import json

from django.contrib.auth import get_user_model

from accounts.models import Profile
from accounts.tests.factories import PASSWORD


def test_the_profile_saves_display_name_language_and_time_zone(user_client, user, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert user_client.get("/accounts/profile/").status_code == 200
    response = user_client.post(
        "/accounts/profile/", {"display_name": "小明", "language": "zh-hans", "time_zone": "Europe/Paris"}
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.language, profile.time_zone) == ("小明", "zh-hans", "Europe/Paris")
    assert user_client.session["time_zone"] == "Europe/Paris"
    assert user_client.get("/accounts/profile/")["Content-Language"] == "zh-hans"


def test_a_bad_time_zone_is_refused(user_client, user):
    response = user_client.post("/accounts/profile/", {"display_name": "", "language": "", "time_zone": "Mars/Base"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Profile.objects.get(user=user).time_zone != "Mars/Base"


def test_the_language_switch_is_saved_on_the_profile(user_client, user):
    user_client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    assert Profile.objects.get(user=user).language == "zh-hans"


def test_the_export_downloads_my_data_as_json(user_client, user):
    response = user_client.get("/accounts/profile/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="llm-interview-prep-owner-')
    data = json.loads(response.content)
    assert data["account"]["username"] == "owner"
    assert data["profile"]["time_zone"]


def test_deleting_the_account_needs_the_password(user_client, user):
    response = user_client.post("/accounts/profile/delete/", {"password": "wrong"})
    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_deleting_the_account_removes_it_and_signs_out(user_client, user):
    response = user_client.post("/accounts/profile/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in user_client.session


def test_utc_is_a_time_zone_too(user_client, user):
    user_client.post("/accounts/profile/", {"display_name": "", "language": "", "time_zone": "UTC"})
    assert Profile.objects.get(user=user).time_zone == "UTC"


def test_the_export_is_an_attachment_for_a_non_ascii_name(client, db):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory(username="张伟"))
    response = client.get("/accounts/profile/export/")
    header = response["Content-Disposition"]
    header.encode("ascii")  # RFC 6266: the header itself stays ASCII
    assert header.startswith("attachment; filename*=utf-8''llm-interview-prep-%E5%BC%A0%E4%BC%9F-")
    assert header.endswith(".json")


def test_the_time_zone_field_is_not_rendered_option_by_option(user_client, user):
    # Through Django's Select each of the ~600 zones was a template of its own: 0.2–1 s a page.
    response = user_client.get("/accounts/profile/")
    assert len(response.templates) < 40
    body = response.content.decode()
    assert body.count("<option") > 400
    assert f'<option value="{Profile.objects.get(user=user).time_zone}" selected>' in body


def test_a_hostile_time_zone_is_refused_and_shown_inert(user_client, user):
    response = user_client.post("/accounts/profile/", {"time_zone": '"><script>alert(1)</script>'})
    body = response.content.decode()
    assert response.status_code == 200 and "Select a valid choice" in body
    assert "<script>alert(1)" not in body
    time_zones = body.split('name="time_zone"')[1].split("</select>")[0]
    assert " selected>" not in time_zones


def test_the_profile_page_costs_three_queries(user_client, user, django_assert_num_queries):
    user_client.get("/accounts/profile/")  # the first visit makes the profile
    # session, user, profile
    with django_assert_num_queries(3):
        assert user_client.get("/accounts/profile/").status_code == 200
