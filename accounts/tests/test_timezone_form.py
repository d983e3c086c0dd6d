"""The account forms: which time zones are offered, and the password check before deleting an account."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from accounts.forms import DeleteAccountForm, ProfileForm, SignUpForm, time_zones
from accounts.models import Profile
from accounts.tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def english():
    """The messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def test_utc_comes_first_then_every_region_zone_sorted():
    offered = time_zones()
    assert offered[0] == "UTC"
    zones = list(offered[1:])
    assert zones == sorted(zones)
    assert {"Asia/Shanghai", "Europe/Paris", "America/Argentina/Buenos_Aires", "Pacific/Auckland"} <= set(zones)


@pytest.mark.parametrize(
    "zone", ["Etc/GMT+1", "Etc/UTC", "GMT", "Japan", "EST5EDT", "Factory", "UTC", "SystemV/AST4"]
)
def test_offset_aliases_and_legacy_names_are_not_offered_again(zone):
    assert zone not in time_zones()[1:]


@pytest.mark.parametrize("zone, valid", [("Asia/Shanghai", True), ("UTC", True), ("Etc/GMT-8", False), ("PRC", False)])
def test_the_profile_form_takes_only_offered_zones(user, zone, valid):
    form = ProfileForm({"display_name": "", "language": "", "time_zone": zone}, instance=Profile(user=user))
    assert form.is_valid() is valid
    if not valid:
        assert form.errors["time_zone"] == [f"Select a valid choice. {zone} is not one of the available choices."]


def test_the_profile_page_refuses_an_offset_alias(user_client, user):
    response = user_client.post("/accounts/profile/", {"display_name": "", "language": "", "time_zone": "Etc/GMT-8"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Profile.objects.get(user=user).time_zone != "Etc/GMT-8"


@pytest.mark.parametrize("wrong", [f" {PASSWORD}", f"{PASSWORD} ", "nope", ""])
def test_deleting_needs_the_exact_password(user_client, user, wrong):
    # The form checks the password through allauth with the request, so through the page.
    response = user_client.post("/accounts/profile/delete/", {"password": wrong})
    assert response.status_code == 200
    assert get_user_model().objects.filter(pk=user.pk).exists()
    expected = "This field is required." if wrong == "" else "That is not your password."
    assert response.context["form"].errors["password"] == [expected]


def test_the_delete_form_takes_the_usual_form_options(user):
    form = DeleteAccountForm(user, {"delete-password": PASSWORD}, prefix="delete")
    assert form["password"].html_name == "delete-password" and form["password"].value() == PASSWORD


def test_sign_up_asks_for_a_username_and_an_email(db):
    form = SignUpForm({"username": "new", "email": "", "password1": PASSWORD, "password2": PASSWORD})
    assert not form.is_valid() and list(form.errors) == ["email"]
    form = SignUpForm({"username": "new", "email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD})
    assert form.is_valid()
