"""allauth's pages in the site's layout, in both languages."""

import pytest
from allauth.account.models import EmailAddress

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "english", "chinese"),
    [
        ("/accounts/login/", "Forgot your password?", "登录"),
        ("/accounts/signup/", "Create account", "创建账户"),
        ("/accounts/password/reset/", "Send the link", "电子邮件地址"),
        ("/accounts/password/reset/done/", "Password Reset", "密码重置"),
    ],
)
def test_the_entrance_pages_use_the_sites_layout_in_both_languages(client, path, english, chinese):
    body = client.get(path).content.decode()
    assert english in body and 'class="site-header"' in body
    assert chinese in client.get(path, **ZH).content.decode()


@pytest.mark.parametrize(
    ("path", "chinese"),
    [("/accounts/email/", "未验证"), ("/accounts/password/change/", "修改密码"), ("/accounts/logout/", "登出")],
)
def test_the_signed_in_pages_use_the_sites_layout_in_chinese(user_client, user, path, chinese):
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    body = user_client.get(path, **ZH).content.decode()
    assert 'class="site-header"' in body
    assert chinese in body


def test_the_form_pages_keep_the_sites_form_style(user_client, user):
    body = user_client.get("/accounts/password/change/").content.decode()
    assert '<form method="post" action="/accounts/password/change/" class="card narrow" novalidate>' in body
    assert '<div class="actions">' in body


@pytest.mark.django_db
def test_a_configured_provider_is_offered_on_the_sign_in_page(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"github": {"APPS": [{"client_id": "id", "secret": "secret"}]}}
    body = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/github/login/?process=login"' in body


@pytest.mark.django_db
def test_without_a_provider_there_is_no_third_party_sign_in(client):
    assert "/accounts/github/login/" not in client.get("/accounts/login/").content.decode()
