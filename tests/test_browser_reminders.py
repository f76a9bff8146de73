"""In Chromium on a phone: staff add an H-7 reminder, seeing who will receive it before saving; when it is
due, the village head finds it in their inbox and opens the session from it."""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from kim.register.models import Kim, Member
from kim.reminders import sending
from outreach.sessions import services
from tests.factories import (
    KimFactory,
    MemberFactory,
    TopicFactory,
)
from tests.test_browser import _fits_the_screen, _sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIB = dt.timezone(dt.timedelta(hours=7))
PROPOSED = dt.datetime(2019, 3, 1, 8, 0, tzinfo=WIB)
STARTS = dt.datetime(2019, 3, 14, 9, 0, tzinfo=WIB)


@pytest.fixture
def session_proposed_on_1_march(reminder_rules, village, agency, officer, staff, head):
    """Proposed on 1 March for 14 March, so that an H-7 rule falls due a week later; the preview names the
    head, Kepala Desa Selakambang."""
    kim = KimFactory(village=village, name="KIM Selakambang", status=Kim.Status.ACTIVE)
    MemberFactory(kim=kim, name="Ketua KIM", position=Member.Position.KETUA)
    head.first_name, head.last_name = "Kepala Desa", "Selakambang"
    head.save()
    with time_machine.travel(PROPOSED, tick=False):
        return services.session_propose(
            actor=officer,
            agency=agency,
            kim=kim,
            title="Sosialisasi pencegahan stunting",
            starts_at=STARTS,
            ends_at=STARTS + dt.timedelta(hours=2),
            venue="Balai Desa Selakambang",
            topic=TopicFactory(name="Penanggulangan stunting"),
        )


def _sweep_and_send() -> None:
    """What the beat's sweep and the worker do, in this process."""

    def send_now(reminder_id: int, attempt: int) -> None:
        sending.send(reminder_id)

    sending.sweep(send_now)


def test_staff_preview_an_h7_rule_and_the_village_head_opens_the_session_from_the_inbox(
    page,
    live_server,
    session_proposed_on_1_march,
    csp_violations,
):
    base = live_server.url
    with time_machine.travel(PROPOSED + dt.timedelta(hours=1), tick=True):
        _sign_in_as(page, base, "staf")
        page.goto(f"{base}/pengingat/")
        page.click("main a[href$='/pengingat/baru/']")
        page.click("#triggers a[href='?trigger=session_start']")
        page.fill("input[name=name]", "H-7 untuk Kepala Desa")
        page.fill("input[name=offset_days]", "-7")
        for box in page.locator("input[name=audience]").all():
            box.set_checked(box.get_attribute("value") == "village_head")
        page.click("button[name=action][value=preview]")
        expect(page.get_by_text("Kepala Desa Selakambang").first).to_be_visible()
        assert _fits_the_screen(page)
        page.click("button[name=action][value=save]")
        expect(page.locator(".alert-success")).to_be_visible()

    with time_machine.travel(STARTS - dt.timedelta(days=7), tick=False):
        _sweep_and_send()

    with time_machine.travel(STARTS - dt.timedelta(days=7, minutes=-5), tick=True):
        _sign_in_as(page, base, "kades")
        expect(page.locator(".navbar-inbox .badge")).to_have_text("1")
        page.click(".navbar-inbox a")
        expect(page.locator("main")).to_contain_text("Sosialisasi pencegahan stunting")
        expect(page.locator("main")).to_contain_text("Kamis, 14 Maret 2019, 09:00 WIB")
        assert _fits_the_screen(page)
        page.click("main form button.btn-primary")
        expect(page).to_have_url(f"{base}/opd/sesi/{session_proposed_on_1_march.pk}/")
        expect(page.locator(".navbar-inbox .badge")).to_have_count(0)
        assert csp_violations == []
