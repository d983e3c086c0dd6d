"""The interface speaks Simplified Chinese and English; question content stays as written."""

import pytest


@pytest.mark.django_db
def test_the_browser_language_picks_chinese(client, seeded_bank):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in body
    assert "备战大模型与机器学习工程师面试" in body
    assert "训练与优化" in body  # a topic's name, content as written


@pytest.mark.django_db
def test_english_by_default(client, seeded_bank):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "Prepare for LLM and machine-learning engineering interviews" in body


@pytest.mark.django_db
def test_the_switcher_sets_the_language(client, seeded_bank):
    client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    assert "登录" in client.get("/").content.decode()


def test_a_signed_in_candidates_language_comes_from_the_profile(user_client):
    user_client.post("/accounts/profile/", {"display_name": "", "language": "zh-hans", "time_zone": "Asia/Shanghai"})
    body = user_client.get("/practice/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "待复习" in body
