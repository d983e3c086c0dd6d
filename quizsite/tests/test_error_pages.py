"""The styled error pages, in both languages."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error


@pytest.mark.django_db
def test_a_missing_page_is_a_styled_404(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body and "css/site.css" in body and 'href="/"' in body


@pytest.mark.django_db
def test_the_404_page_speaks_chinese(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_a_missing_permission_is_a_styled_403(user_client):
    response = user_client.get("/progress/staff/")
    assert response.status_code == 403 and "Not allowed" in response.content.decode()


def test_the_403_page_speaks_chinese(user_client):
    response = user_client.get("/progress/staff/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "无权访问" in response.content.decode()


@pytest.mark.parametrize("language, text", [("en", "Something went wrong"), ("zh-hans", "出错了")])
def test_the_500_page_needs_no_database_and_speaks_both_languages(language, text, db, django_assert_num_queries):
    request = RequestFactory().get("/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500 and text in body and f'lang="{language}"' in body
