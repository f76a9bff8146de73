"""In Chromium, on a 360 px phone screen, as the people who use it."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from kim.accounts.models import Role
from tests.conftest import PHONE
from tests.factories import UserFactory
from villages import services
from villages.models import Village, VillageYear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "sandi-rahasia-123"


@pytest.fixture
def purbalingga(db):
    call_command("import_areas", "--regency", "33.03", stdout=open("/dev/null", "w"))  # noqa: SIM115
    red_zone = Village.objects.filter(pk__in=["33.03.04.2006", "33.03.04.2002", "33.03.01.2001"])
    services.red_zone_mark(year=2019, villages=red_zone, decree="SK Bupati 2019", actor=None)


def _sign_in(page: Page, base_url: str, username: str):
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/akun/masuk/?next=/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(f"{base_url}/")


def _sign_in_as(page: Page, base: str, username: str):
    """Signs out whoever is signed in, then signs in at the login page."""
    page.context.clear_cookies()
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(f"{base}/")


def _fits_the_screen(page: Page) -> bool:
    """Against the phone's own width: under phone emulation window.innerWidth grows with a page that is too
    wide, so comparing with it would pass a page that scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_staff_filter_the_zona_merah_of_kaligondang_and_open_selakambang(
    page, live_server, purbalingga, staff, csp_violations
):
    _sign_in(page, live_server.url, "staf")

    page.click(".navbar-toggler")
    page.click("#main-nav a[href='/desa/']")
    page.select_option("select[name=district]", label="Kaligondang")
    page.fill("input[name=year]", "2019")
    page.select_option("select[name=red_zone]", "yes")
    page.click("#village-filter button[type=submit]")

    rows = page.locator("table.village-table tbody tr")
    expect(rows).to_have_count(2)
    assert _fits_the_screen(page)
    page.get_by_role("link", name="Selakambang", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/desa/33.03.04.2006/")
    expect(page.locator("h1")).to_contain_text("Selakambang")
    expect(page.locator("main")).to_contain_text("Kaligondang")
    assert _fits_the_screen(page)
    assert csp_violations == []


def test_the_map_colours_every_village_and_follows_the_filter(
    page, live_server, purbalingga, staff, csp_violations
):
    _sign_in(page, live_server.url, "staf")
    page.goto(f"{live_server.url}/desa/peta/?year=2019&red_zone=yes")

    expect(page.locator("#village-map path.leaflet-interactive")).to_have_count(239)
    expect(page.locator("#village-map-summary")).to_contain_text("3")
    page.select_option("select[name=district]", label="Kaligondang")
    expect(page.locator("#village-map-summary")).to_contain_text("2")
    assert "district=" in page.url
    assert _fits_the_screen(page)
    assert csp_violations == []


def test_village_head_lands_on_their_village_and_cannot_open_another(page, live_server, purbalingga):
    UserFactory(username="kades", role=Role.VILLAGE_HEAD, village_id="33.03.04.2006")
    _sign_in(page, live_server.url, "kades")
    expect(page.locator("h1")).to_contain_text("Selakambang")
    response = page.goto(f"{live_server.url}/desa/33.03.04.2002/")
    assert response.status == 404


def test_staff_tick_every_village_of_a_kecamatan_onto_the_zona_merah_list(
    page, live_server, purbalingga, staff, csp_violations
):
    _sign_in(page, live_server.url, "staf")
    page.goto(f"{live_server.url}/desa/status/2020/?district=33.03.04")
    page.check("input[data-select-all=villages]")
    page.select_option("select[name=action]", "mark")
    page.fill("input[name=decree]", "SK Bupati Purbalingga 400/2020")
    page.click("main form[method=post] button[type=submit]")

    expect(page.locator(".alert-success")).to_be_visible()
    assert (
        VillageYear.objects.filter(year=2020, is_red_zone=True, village__district_id="33.03.04").count() == 18
    )
    assert _fits_the_screen(page)
    assert csp_violations == []
