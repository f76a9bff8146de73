"""In Chromium on a 360 px phone, on the demo data, with a real worker on the file-system broker of `make run`:
a Pimpinan signs in and lands on the dashboard, picks 2019, finds Selakambang among the year's targets and
formed, follows a "stuck" number to a list of exactly that many rows, starts the yearly recap in Excel and in
PDF, watches the job's page update by itself until the file is built, and downloads both files from the "file
ready" messages in the inbox: the workbook opens, the PDF ends with the signature block. No page logs an
error or scrolls sideways."""

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kim.celery import app
from kim.downloads import building
from kim.downloads.models import ExportJob
from kim.downloads.tests.test_embedded_broker import (  # noqa: F401 (fixtures)
    file_system_broker,
    worker_closes_its_connection,
)
from kim.management.commands.load_demo import DEMO_PASSWORD
from kim.reminders.models import Reminder
from tests.conftest import PHONE, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("file_system_broker", "worker_closes_its_connection"),
]

# Seconds a step may take on a loaded 2-core machine (the recap's PDF is rendered by WeasyPrint).
SLOW = 60_000


@pytest.fixture
def demo(db, media, reminder_rules):
    call_command("import_areas", "--regency", "33.03", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def a_slow_step(monkeypatch) -> None:
    """Each build pauses once, just after it has recorded a share of its work (neither none nor all), for
    longer than the job page waits between two questions: long enough to be seen on the page."""
    write = building.Progress.write
    paused: set[int] = set()

    def write_then_pause(self, done: int, total: int | None) -> None:
        write(self, done, total)
        if self.job.pk not in paused and 0 < self.last_percent < 100:
            paused.add(self.job.pk)
            time.sleep(3)

    monkeypatch.setattr(building.Progress, "write", write_then_pause)


class Watched:
    """What Chromium reports while the journey goes on: errors and warnings in the console, uncaught errors,
    and each page that scrolls sideways."""

    def __init__(self, page: Page):
        self.page = page
        self.problems: list[str] = []
        page.on("console", lambda m: self.problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda error: self.problems.append(str(error)))

    def fits(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            self.problems.append(f"{self.page.url} is {width} px wide")


def _messages() -> list:
    return list(
        Reminder.objects.filter(trigger="export_ready").values_list("subject", "channel", "state", "due_at")
    )


def _jobs() -> list:
    return list(ExportJob.objects.values_list("pk", "file_format", "state", "finished_at"))


def _download(page: Page) -> tuple[str, bytes]:
    with page.expect_download(timeout=SLOW) as download:
        page.locator("main a[href$='/berkas/']").click()
    return download.value.suggested_filename, Path(download.value.path()).read_bytes()


def _workbook_text(data: bytes) -> Iterator[str]:
    for sheet in load_workbook(io.BytesIO(data), read_only=True).worksheets:
        for row in sheet.iter_rows(values_only=True):
            yield from (str(value) for value in row if value is not None)


def test_a_leader_reads_2019_follows_a_stuck_number_and_downloads_the_recap_from_the_inbox(
    page, live_server, demo, a_slow_step
):
    base = live_server.url
    watched = Watched(page)

    # Signs in and lands on the dashboard.
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", "pimpinan")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(f"{base}/dasbor/")
    watched.fits()

    # Picks 2019: Selakambang is among the targets, and formed.
    page.select_option("#id_year", "2019")
    page.click("#dashboard-choice button[type=submit]")
    expect(page.locator("h1")).to_contain_text("2019")
    watched.fits()
    selakambang = page.locator("tr", has=page.locator("th", has_text="Selakambang"))
    expect(selakambang.locator("td a")).to_contain_text("KIM Selakambang")  # formed: its KIM
    for figure in ("targets-total", "targets-formed"):
        count = int(page.locator(f'[data-figure="{figure}"]').inner_text())
        page.locator(f'[data-figure="{figure}"]').click()
        expect(page.locator("main tbody tr")).to_have_count(count)
        expect(page.locator("main tbody")).to_contain_text("Selakambang")
        watched.fits()
        page.go_back()

    # A "stuck" number opens the list of exactly those rows.
    stuck = [
        link
        for link in page.locator('[data-figure^="stuck-"]').all()
        if int(link.inner_text().replace(".", "")) > 0
    ]
    assert stuck, "the demo has something stuck"
    count = int(stuck[0].inner_text().replace(".", ""))
    stuck[0].click()
    expect(page.locator("main tbody tr")).to_have_count(count)
    watched.fits()
    page.go_back()

    # Starts the recap in Excel and in PDF: each job's page shows its progress while it waits.
    jobs = []
    for button in ("Excel", "PDF"):
        page.locator("main form[action*='/recap/'] button", has_text=button).click()
        expect(page.locator("#export-percent")).to_have_text("0%")
        watched.fits()
        jobs.append(page.url)
        if button == "Excel":
            page.go_back()
    assert ExportJob.objects.filter(kind="recap", owner__username="pimpinan", state="queued").count() == 2

    # The worker builds both; the PDF's page, open all along, updates by itself to the file.
    page.evaluate(
        """() => {
            const percent = document.getElementById("export-percent");
            new MutationObserver(() => console.info("progress " + percent.textContent))
                .observe(percent, {childList: true, characterData: true, subtree: true});
        }"""
    )
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text.split()[-1]) if m.text.startswith("progress ") else None)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"):
        expect(page.locator("main a[href$='/berkas/']")).to_be_visible(timeout=SLOW)
        watched.fits()
        shown = [int(text.rstrip("%")) for text in seen]
        assert shown == sorted(shown) and any(0 < percent < 100 for percent in shown), shown

        # Both files from the inbox's "file ready" messages.
        files = {}
        wait_until(
            lambda: (
                Reminder.objects.filter(trigger="export_ready", channel="inbox", state="sent").count() == 2
            ),
            what=lambda: f"{_messages()} for {_jobs()}",
            timeout=SLOW / 1000,
        )
        page.goto(f"{base}{reverse('reminders:inbox')}")
        expect(page.locator("article.inbox-message .inbox-title")).to_contain_text(["Berkas siap"] * 2)
        watched.fits()
        for number in range(2):
            page.goto(f"{base}{reverse('reminders:inbox')}")
            page.locator("article.inbox-message").nth(number).locator("button[type=submit]").click()
            assert page.url in jobs
            watched.fits()
            name, data = _download(page)
            files[Path(name).suffix] = (name, data)

    assert sorted(files) == [".pdf", ".xlsx"]
    assert all(name.startswith("rekap-kim-2019") for name, _data in files.values())
    assert any("Selakambang" in text for text in _workbook_text(files[".xlsx"][1]))
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(files[".pdf"][1])).pages)
    assert "Mengetahui" in pdf_text
    assert watched.problems == []
