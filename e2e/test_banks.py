"""Imported banks in the browser: maths renders with the vendored KaTeX, and the TeX source is the fallback."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def maths_bank(transactional_db):
    call_command("import_bank", "questions/tests/banks/maths.md", "--topics", "", stdout=io.StringIO())


def test_maths_in_a_question_renders_as_maths(page, live_server, maths_bank, candidate, sign_in):
    sign_in(candidate)
    page.goto(live_server.url + "/practice/next/?scope=probability")
    expect(page.get_by_role("heading", name="What is the softmax function?")).to_be_visible()
    page.get_by_label("Your answer").fill("It normalises exponentials.")
    page.get_by_role("button", name="Show answer").click()
    expect(page.locator(".math.inline .katex").first).to_be_visible()
    expect(page.locator(".math.block .katex-display")).to_be_visible()
    assert "\\frac" not in page.locator(".math.inline").first.inner_text()


def test_without_javascript_the_tex_source_shows(browser, live_server, maths_bank, candidate):
    from django.test import Client

    client = Client()
    client.force_login(candidate)
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/practice/next/?scope=probability")
    page.get_by_label("Your answer").fill("x")
    page.get_by_role("button", name="Show answer").click()
    expect(page.locator(".math.inline").nth(1)).to_have_text("\\sigma(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}")
    context.close()
