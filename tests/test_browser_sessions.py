"""In Chromium on a phone: Dinas Kesehatan holds a stunting session in Selakambang's KIM, from proposal to report."""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from kim.register.models import Kim
from outreach.directory.models import Topic
from outreach.sessions.models import Session
from tests.factories import KimFactory, ResourcePersonFactory
from tests.test_browser import _fits_the_screen, _sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def selakambang_kim(village, agency, officer, head):
    """KIM Selakambang, and what the officer's proposal names: the stunting topic and dr. Ani of Dinkes."""
    kim = KimFactory(village=village, name="KIM Selakambang", status=Kim.Status.ACTIVE)
    Topic.objects.create(name="Penanggulangan stunting")
    ResourcePersonFactory(name="dr. Ani Rahmawati", agency=agency)
    return kim


def test_an_officer_proposes_the_head_confirms_and_the_report_shows_on_the_calendar(
    page,
    live_server,
    selakambang_kim,
    csp_violations,
):
    base = live_server.url
    with time_machine.travel(dt.datetime(2019, 3, 1, 8, 0, tzinfo=WIB), tick=True):
        _sign_in_as(page, base, "petugas")
        page.goto(f"{base}/opd/sesi/baru/")
        page.select_option("select[name=kim]", label="KIM Selakambang (Selakambang, Kaligondang)")
        page.select_option("select[name=topic]", label="Penanggulangan stunting")
        page.fill("input[name=title]", "Sosialisasi pencegahan stunting")
        page.fill("input[name=starts_at]", "2019-03-07T09:00")
        page.fill("input[name=ends_at]", "2019-03-07T11:00")
        page.fill("input[name=venue]", "Balai Desa Selakambang")
        page.select_option("select[name=resource_persons]", label="dr. Ani Rahmawati (Dinkes)")
        page.click("main form button[type=submit].btn-primary")
        expect(page.locator(".alert-success")).to_be_visible()
        assert _fits_the_screen(page)
        session = Session.objects.get()
        assert session.starts_at == dt.datetime(2019, 3, 7, 2, 0, tzinfo=dt.UTC)

        _sign_in_as(page, base, "kades")
        expect(page.locator("#sessions-to-confirm")).to_contain_text("Sosialisasi pencegahan stunting")
        page.click("#sessions-to-confirm a")
        page.click(f"form[action$='/sesi/{session.pk}/konfirmasi/'] button[type=submit]")
        expect(page.locator(".alert-success")).to_be_visible()
        session.refresh_from_db()
        assert session.state == Session.State.CONFIRMED

    with time_machine.travel(dt.datetime(2019, 3, 7, 13, 0, tzinfo=WIB), tick=True):
        _sign_in_as(page, base, "petugas")
        page.goto(f"{base}/opd/sesi/{session.pk}/")
        page.click(f"form[action$='/sesi/{session.pk}/terlaksana/'] button[type=submit]")
        expect(page.locator(".alert-success")).to_be_visible()
        page.click(f"a[href$='/sesi/{session.pk}/laporan/']")
        page.fill("input[name=attended_male]", "12")
        page.fill("input[name=attended_female]", "31")
        page.fill("textarea[name=minutes]", "Pemaparan pencegahan stunting dan tanya jawab.")
        page.fill("input[name=follow_ups-0-action]", "Kelas ibu hamil di posyandu")
        page.fill("input[name=follow_ups-0-owner]", "Bidan desa")
        page.fill("input[name=follow_ups-0-due_on]", "2019-03-21")
        page.click("main form button[type=submit].btn-primary")
        expect(page.locator(".alert-success")).to_be_visible()
        assert _fits_the_screen(page)

        session.refresh_from_db()
        assert session.state == Session.State.REPORTED
        assert (session.report.attended, session.follow_ups.get().owner) == (43, "Bidan desa")
        page.goto(f"{base}/opd/kalender/?view=agenda&date=2019-03-07")
        expect(page.locator("main")).to_contain_text("Sosialisasi pencegahan stunting")
        expect(page.locator("main")).to_contain_text("dilaporkan")
        assert csp_violations == []
