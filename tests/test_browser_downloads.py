"""In Chromium on a phone: staff download the village list as Excel; the job's page shows its progress, updates
by itself (its own script, under the Content-Security-Policy) once the worker has built the file, and hands
the file over; the Downloads page lists it with its size."""

import pytest
from playwright.sync_api import expect

from kim.downloads import building, tasks
from tests.test_browser import _fits_the_screen, _sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def handed(monkeypatch) -> list[int]:
    """The jobs the pages hand to the broker; this test builds them itself, as the worker would."""
    jobs: list[int] = []
    monkeypatch.setattr(tasks.run_export, "apply_async", lambda args, **kwargs: jobs.append(args[0]))
    return jobs


def test_staff_start_a_download_watch_it_finish_and_fetch_the_file(
    page, live_server, settings, village, other_village, staff, reminder_rules, handed, csp_violations
):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    base = live_server.url
    _sign_in_as(page, base, "staf")
    page.goto(f"{base}/desa/?year=2019")
    page.click("form[action^='/unduhan/mulai/villages/xlsx/'] button")

    expect(page.locator("#export-progress")).to_be_visible()
    assert page.url.startswith(f"{base}/unduhan/")
    assert _fits_the_screen(page)
    assert handed

    building.run(handed[0])  # the worker
    link = page.locator("main a[href$='/berkas/']")
    expect(link).to_be_visible(timeout=15_000)  # the page's script noticed and reloaded
    job_page = page.url.removeprefix(base)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "desa-2019.xlsx"

    page.goto(f"{base}/unduhan/")
    expect(page.locator(f"main a[href='{job_page}']")).to_be_visible()
    assert _fits_the_screen(page)
    assert csp_violations == []
