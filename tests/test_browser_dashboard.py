"""In Chromium on a 360 px phone: the dashboard draws its charts under the site's CSP with a clean console,
never scrolls sideways, prints on A4, and its "stuck" numbers open their lists."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from kim.management.commands.load_demo import DEMO_PASSWORD
from tests.conftest import PHONE
from tests.test_browser_crawl import Visited, _check_markup, _check_page, _report, checkers  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db, media, reminder_rules):
    call_command("import_areas", "--regency", "33.03", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


def test_staff_pick_2019_see_the_charts_and_follow_a_stuck_number_to_its_list(page, live_server, demo):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", "staf")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/dasbor/")
    page.select_option("#id_year", "2019")
    page.click("#dashboard-choice button[type=submit]")
    expect(page.locator("h1")).to_contain_text("2019")
    expect(page.locator("table", has_text="Selakambang")).to_be_visible()
    page.wait_for_function("Object.keys(window.Chart.instances).length >= 4")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems == []

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    assert page.evaluate("document.documentElement.scrollWidth") <= 794
    assert page.locator("nav").first.is_hidden()
    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)

    waiting = page.locator('[data-figure="stuck-2"]')
    count = int(waiting.inner_text())
    waiting.click()
    expect(page).to_have_url(f"{live_server.url}/kim/pembentukan/?awaiting=yes")
    expect(page.locator("tbody tr")).to_have_count(count)
    assert problems == []


def test_the_coverage_map_of_2019_colours_kecamatan_with_a_legend_and_a_clean_console(
    page, live_server, demo
):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", "staf")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/dasbor/?year=2019")
    page.click("text=Peta cakupan")
    expect(page.locator("#village-map-summary")).to_contain_text("2019")
    expect(page.locator(".village-map-legend li")).to_have_count(7)
    page.wait_for_function("document.querySelectorAll('.leaflet-districtOutlines-pane path').length > 10")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems == []


@pytest.mark.usefixtures("checkers")
def test_the_dashboard_the_coverage_map_and_the_follow_up_list_pass_axe_and_the_html_checker(
    page, live_server, demo, tmp_path
):
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", "staf")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    visited = []
    for path in (
        "/dasbor/?year=2019",
        f"/dasbor/?kecamatan=33.03.04&year={timezone.localdate().year}",
        "/desa/peta/?year=2019&mode=coverage",
        "/opd/tindak-lanjut/?progress=overdue",
    ):
        response = page.goto(f"{live_server.url}{path}")
        visit = Visited("staff", path, path)
        page.wait_for_load_state("networkidle")
        _check_page(page, visit, response.text())
        visited.append(visit)
    _check_markup(visited, tmp_path)
    failing = [visit for visit in visited if visit.findings]
    assert not failing, _report(visited, failing)
