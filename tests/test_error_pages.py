"""The app's own 403, 404 and 500 pages: in the site's look and the person's language, with a way back home.
The 500 page is static: it renders with no context processor and no database, either of which may be what
failed."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error
from playwright.sync_api import Page, expect

from tests.test_browser import _fits_the_screen

MISSING = "/tidak-ada-halaman-ini/"
HOME_LINK = 'href="/"'


def _in_english(client):
    """Chooses English with the site's language switch (in the footer of every page)."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_missing_page_says_so_in_indonesian_with_a_way_home(client, staff):
    client.force_login(staff)
    response = client.get(MISSING)
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    content = response.content.decode()
    assert "Halaman tidak ditemukan" in content
    assert "Kembali ke beranda" in content and HOME_LINK in content
    assert 'lang="id"' in content
    assert "navbar" in content  # the site's look: its navbar and footer


@pytest.mark.django_db
def test_a_missing_page_says_so_in_english_after_the_language_switch(client, staff):
    client.force_login(staff)
    _in_english(client)
    content = client.get(MISSING).content.decode()
    assert "Page not found" in content and "Back to the home page" in content
    assert 'lang="en"' in content


@pytest.mark.django_db
def test_a_visitor_not_signed_in_gets_the_same_missing_page(client):
    response = client.get(MISSING)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


@pytest.mark.django_db
def test_a_refused_page_says_so_in_indonesian_with_a_way_home(client, head):
    client.force_login(head)
    response = client.get(reverse("outreach:topic_list"))
    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]
    content = response.content.decode()
    assert "Anda tidak boleh membuka halaman ini" in content
    assert "Kembali ke beranda" in content and HOME_LINK in content


@pytest.mark.django_db
def test_a_refused_page_says_so_in_english_after_the_language_switch(client, officer):
    client.force_login(officer)
    _in_english(client)
    content = client.get(reverse("formation:list")).content.decode()
    assert "You may not open this page" in content and "Back to the home page" in content


def test_the_server_error_page_renders_without_database_or_context_processors():
    """No django_db mark: a query would fail the test. Django renders 500.html with an empty context."""
    with translation.override("id"):
        response = server_error(RequestFactory().get("/"))
    content = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan" in content and "Kembali ke beranda" in content and HOME_LINK in content
    assert "/static/vendor/bootstrap-5.3.9/bootstrap.min.css" in content
    with translation.override("en"):
        assert "Something went wrong" in server_error(RequestFactory().get("/")).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_error_pages_fit_a_phone_and_lead_home(page: Page, live_server, head, csp_violations):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", head.username)
    page.fill("input[name=password]", "sandi-rahasia-123")
    page.click("main button[type=submit]")
    for path, heading in [(MISSING, "Halaman tidak ditemukan"), ("/opd/topik/", "Anda tidak boleh membuka")]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_contain_text(heading)
        assert _fits_the_screen(page)
    page.get_by_role("link", name="Kembali ke beranda").click()
    expect(page).to_have_url(f"{live_server.url}/")
    assert csp_violations == []
