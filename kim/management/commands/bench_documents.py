"""manage.py bench_documents: how long each kind of document takes to render as PDF and to issue, and how
long the public check takes to compare an upload, on the demo data.

On a scratch database (dropped at the end) with Purbalingga's areas and the demo loaded; the demo's reported
session is given six phone photos (4,000 x 3,000 JPEGs, fitted on upload as the report form does). Each kind is
rendered for the demo record with the most in it (rows, photos), several times in this process; an issue adds
numbering, hashing and storing the file. Aims on this machine: a one-page document under 1 s at the median, the
activity report with six photos under 3 s.
"""

import io
import os
import statistics
import tempfile
import time

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from kim.accounts.models import User
from kim.documents import registry, services
from kim.documents.rendering import render_pdf
from kim.lib.uploads import store_photos
from kim.management.commands.bench import create_scratch_database, database_version
from outreach.reports.models import SessionPhoto
from outreach.sessions.models import Session

SCRATCH_NAME = "kim_bench_documents"
PHOTOS = 6
ONE_PAGE_AIM_S, REPORT_AIM_S = 1.0, 3.0


def phone_photo(seed: int) -> SimpleUploadedFile:
    """A 12-megapixel JPEG with detail in it (a flat colour would compress to nothing)."""
    image = Image.effect_noise((4000, 3000), 60 + seed).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile(f"IMG_{seed:04d}.jpg", buffer.getvalue(), "image/jpeg")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Time rendering and issuing each kind of document, and checking an upload, on the demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=7, help="Renderings per kind (default: 7).")

    def handle(self, *args, repeat: int, **options) -> None:
        settings.DEBUG = False
        old_name = create_scratch_database(SCRATCH_NAME)
        media = tempfile.TemporaryDirectory(prefix="kim-bench-documents-")
        try:
            with override_settings(MEDIA_ROOT=media.name, DOCUMENT_CHECK_LIMIT=10_000):
                self._run(repeat)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            media.cleanup()

    def _run(self, repeat: int) -> None:
        quiet = io.StringIO()
        call_command("import_areas", "--regency", "33.03", stdout=quiet)
        call_command("load_demo", stdout=quiet)
        self.stdout.write(
            f"Database: {database_version()}; {os.cpu_count()} CPUs; {repeat} renderings per kind"
        )
        staff = User.objects.filter(role="staff_admin").first()
        self._add_photos()
        rows, issued = [], None
        for kind in registry.kinds():
            subject = self._richest_subject(kind, staff)
            if subject is None:
                self.stdout.write(f"  {kind.name}: no demo record it can be issued for, skipped")
                continue
            times, pdf = [], b""
            for _ in range(repeat):
                start = time.perf_counter()
                pdf = render_pdf(kind, subject)
                times.append(time.perf_counter() - start)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            start = time.perf_counter()
            document = services.issue(kind, subject, staff)
            issue_s = time.perf_counter() - start
            issued = issued or document
            rows.append((kind, pages, len(pdf), statistics.median(times), percentile(times, 0.9), issue_s))
        self.stdout.write(
            f"{'document':<28} {'pages':>5} {'size':>9} {'median':>8} {'p90':>8} {'issue':>8}  aim"
        )
        for kind, pages, size, median, p90, issue_s in rows:
            aim = REPORT_AIM_S if kind.name == "session.report" else ONE_PAGE_AIM_S if pages == 1 else None
            verdict = "-" if aim is None else f"{'met' if median < aim else 'MISSED'} (< {aim:g} s)"
            self.stdout.write(
                f"{kind.name:<28} {pages:>5} {size / 1024:>7.0f} KB {median:>7.2f}s {p90:>7.2f}s {issue_s:>7.2f}s"
                f"  {verdict}"
            )
        if issued is not None:
            self._time_check(issued, repeat * 3)

    def _add_photos(self) -> None:
        session = (
            Session.objects.filter(report__isnull=False).order_by("-attendees__id").first()
            or Session.objects.filter(report__isnull=False).first()
        )
        if session is None:
            return
        missing = PHOTOS - session.photos.count()
        if missing > 0:
            store_photos(lambda: SessionPhoto(session=session), [phone_photo(i) for i in range(missing)])

    def _richest_subject(self, kind, user):
        """The readable record with nothing missing and the most photos or rows, so the figure is the heavy
        case."""
        candidates = [s for s in kind.subjects(user)[:200] if kind.may_issue(user, s) and not kind.missing(s)]
        if not candidates:
            return None
        return max(candidates, key=lambda s: (getattr(s, "photos", None) and s.photos.count()) or 0)

    def _time_check(self, document, repeat: int) -> None:
        with document.file.open("rb") as handle:
            pdf = handle.read()
        client = Client()
        url = reverse("documents:check", args=[document.code])
        times = []
        for _ in range(repeat):
            upload = SimpleUploadedFile("salinan.pdf", pdf, "application/pdf")
            start = time.perf_counter()
            response = client.post(url, {"file": upload})
            times.append(time.perf_counter() - start)
            assert response.status_code == 200 and b'data-verdict="match"' in response.content
        self.stdout.write(
            f"check an upload ({len(pdf) / 1024:.0f} KB, whole request): median {statistics.median(times) * 1000:.0f} ms,"
            f" p90 {percentile(times, 0.9) * 1000:.0f} ms over {repeat}"
        )
