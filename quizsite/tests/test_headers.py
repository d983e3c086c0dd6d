"""Response headers: a Content-Security-Policy that needs a nonce for inline scripts, secure cookies in production."""

import re

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory

from quizsite.tests.test_settings import PRODUCTION, manage


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/healthz"])
def test_every_response_has_a_strict_policy(client, path):
    policy = directives(client.get(path))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script without a nonce, no eval
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_an_inline_script_is_allowed_only_with_the_requests_nonce():
    template = Template('<script nonce="{{ request.csp_nonce }}">go()</script>')
    middleware = CSPMiddleware(lambda request: HttpResponse(template.render(Context({"request": request}))))
    response = middleware(RequestFactory().get("/"))
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert directives(response)["script-src"] == ["'self'", f"'nonce-{nonce}'"]


def test_the_language_cookie_is_secure_in_production():
    script = "from django.conf import settings; print(settings.LANGUAGE_COOKIE_SECURE)"
    assert manage("shell", "-c", script, **PRODUCTION).stdout.split()[-1] == "True"
    assert manage("shell", "-c", script, DJANGO_DEBUG="1").stdout.split()[-1] == "False"


def test_the_language_switch_sets_a_secure_cookie_when_cookies_are_secure(client, settings, db):
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"] is True


def test_a_configured_sign_in_provider_may_receive_the_sign_in_form():
    script = (
        "from django.conf import settings; "
        "print(list(settings.SOCIALACCOUNT_PROVIDERS), settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    result = manage("shell", "-c", script, GITHUB_CLIENT_ID="id", GITHUB_CLIENT_SECRET="secret")
    assert result.stdout.strip().splitlines()[-1] == """['github'] ["'self'", 'https://github.com']"""


def test_a_provider_without_its_secret_is_a_clear_error():
    result = manage("check", GOOGLE_CLIENT_ID="id")
    assert result.returncode != 0
    assert "GOOGLE_CLIENT_SECRET must be set" in result.stderr
