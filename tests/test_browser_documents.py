"""In Chromium on a 360 px phone: staff issue the berita acara of the demo's Selakambang formation; anyone
then opens the check page from the link of the PDF's QR code, without signing in, drops the PDF and reads that
it is exactly the issued one; a copy with one byte changed is told apart."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from kim.formation.models import Formation
from kim.management.commands.load_demo import DEMO_PASSWORD
from tests.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db, media, reminder_rules, office_defaults):
    call_command("import_areas", "--regency", "33.03", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


def _qr_link(pdf: bytes) -> str:
    """The address the QR code leads to: the PDF carries it as the link over the QR image too."""
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/cek/" in str(action.get("/URI", "")):
                return str(action["/URI"])
    raise AssertionError("no link to the check page in the PDF")


def test_staff_issue_the_berita_acara_and_anyone_checks_the_pdf(page, live_server, demo, settings, tmp_path):
    settings.SITE_URL = live_server.url  # the QR code leads to this server
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    formation = Formation.objects.get(target__village__name="Selakambang")

    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", "staf")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/kim/pembentukan/{formation.pk}/")
    page.click(f"form[action='/dokumen/formation.minutes/{formation.pk}/terbitkan/'] button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("400/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_download() as download:
        page.click("a[href$='/unduh/']")
    pdf_path = tmp_path / "berita-acara.pdf"
    download.value.save_as(pdf_path)
    pdf = pdf_path.read_bytes()
    assert "Selakambang" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)

    page.context.clear_cookies()  # anyone: no sign-in
    page.goto(_qr_link(pdf))
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".alert-success").first).to_be_visible()  # valid
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_input_files("input[type=file]", str(pdf_path))
    page.click("main form button[type=submit]")
    expect(page.locator("[data-verdict=match]")).to_be_visible()

    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    (tmp_path / "diubah.pdf").write_bytes(bytes(changed))
    page.set_input_files("input[type=file]", str(tmp_path / "diubah.pdf"))
    page.click("main form button[type=submit]")
    expect(page.locator("[data-verdict=mismatch]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems == []
