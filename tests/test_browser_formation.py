"""In Chromium on a phone: a KIM is formed in Selakambang from targeting to an active KIM in the register."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from kim.accounts.models import Role
from kim.register.models import Kim
from outreach.directory.models import Agency
from tests.factories import UserFactory
from tests.samples import PDF
from tests.test_browser import _fits_the_screen, _sign_in_as
from villages import services
from villages.models import CommunityGroup, Village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SELAKAMBANG = "33.03.04.2006"


@pytest.fixture
def selakambang(db, settings, media, staff):
    settings.KIM_HOST_AGENCY_SHORT_NAME = "Dinkominfo"
    with open("/dev/null", "w") as quiet:
        call_command("import_areas", "--regency", "33.03", stdout=quiet)
    village = Village.objects.get(pk=SELAKAMBANG)
    kominfo = Agency.objects.create(name="Dinas Komunikasi dan Informatika", short_name="Dinkominfo")
    services.red_zone_mark(year=2019, villages=[village], decree="SK Bupati 2019", actor=None)
    services.binaan_assign(year=2019, villages=[village], agency=kominfo, actor=None)
    CommunityGroup.objects.create(village=village, name="TP PKK Desa Selakambang", kind="pkk")
    UserFactory(username="kades", role=Role.VILLAGE_HEAD, village=village)
    return village


def _record(page: Page, step: str):
    page.click(f"a[href$='/langkah/{step}/']")
    expect(page).to_have_url(re.compile(rf".*/langkah/{step}/$"))


def _save(page: Page):
    page.click("main form button[type=submit].btn-primary")
    expect(page.locator(".alert-success")).to_be_visible()


def test_staff_and_the_village_head_form_a_kim_in_selakambang(page, live_server, selakambang, csp_violations):
    base = live_server.url
    _sign_in_as(page, base, "staf")
    page.goto(f"{base}/kim/sasaran/2019/")
    page.check(f"input[name=villages][value='{SELAKAMBANG}']")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    page.click("main table a[href*='/kim/pembentukan/']")
    formation_url = page.url

    _record(page, "coordination")
    page.fill("input[name=coordinated_on]", "2019-01-14")
    page.fill("textarea[name=notes]", "Koordinasi dengan Kepala Desa, PKK dan Karang Taruna")
    _save(page)

    _record(page, "path")
    page.check("input[name=origin][value=adopted]")
    page.select_option("select[name=community_group]", label="TP PKK Desa Selakambang")
    page.fill("input[name=name]", "KIM Selakambang")
    _save(page)

    _record(page, "meeting")
    page.fill("input[name=meeting_on]", "2019-02-04")
    page.fill("input[name=officers-0-name]", "Sutrisno")
    page.select_option("select[name=officers-0-position]", "ketua")
    page.fill("input[name=officers-0-phone]", "0812 3456 7890")
    page.fill("input[name=officers-1-name]", "Aminah")
    page.select_option("select[name=officers-1-position]", "sekretaris")
    _save(page)
    assert _fits_the_screen(page)

    _sign_in_as(page, base, "kades")
    page.goto(formation_url)
    panel = page.locator("#confirmation-panel")
    expect(panel).to_contain_text("KIM Selakambang")
    expect(panel).to_contain_text("Sutrisno")
    assert _fits_the_screen(page)
    panel.locator("button[value=confirm]").click()
    expect(page.locator(".alert-success")).to_be_visible()

    _sign_in_as(page, base, "staf")
    page.goto(formation_url)
    _record(page, "decree")
    page.select_option("select[name=sk_issuer]", "kepala_desa")
    page.fill("input[name=sk_number]", "141/12 Tahun 2019")
    page.fill("input[name=sk_date]", "2019-02-11")
    page.set_input_files(
        "input[name=sk_file]", {"name": "sk.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    _save(page)

    _record(page, "briefing")
    page.fill("input[name=briefed_on]", "2019-02-25")
    _save(page)
    page.click("form[action$='/aktifkan/'] button")
    expect(page.locator(".alert-success")).to_be_visible()

    kim = Kim.objects.get(village=selakambang)
    assert kim.status == Kim.Status.ACTIVE and kim.sk_file
    page.goto(f"{base}/kim/")
    expect(page.locator("main")).to_contain_text("KIM Selakambang")
    page.goto(f"{base}/desa/{SELAKAMBANG}/")
    expect(page.locator("main")).to_contain_text("KIM Selakambang")
    assert _fits_the_screen(page)
    assert csp_violations == []
