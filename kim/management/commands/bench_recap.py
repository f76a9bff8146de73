"""manage.py bench_recap: the yearly recap's wall time and peak memory at national scale.

On a scratch database (dropped at the end): all 83,762 villages, a KIM in every fifth (16,753, ten members
each), 500,000 sessions in one year with reports and follow-up actions (make bench's own seeding), and a
mentoring visit for every KIM. Each file is then built in a process of its own, as the worker builds it, with
every village in scope (the regency's recap counts one regency's rows; here the scope is widened so that the
whole national volume goes through it); its resident memory is sampled every 50,000 rows to show it stays
flat. Aims: under 60 s and under 300 MB.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.models import F, Q

from kim.management.commands.bench import (
    YEAR,
    create_scratch_database,
    database_version,
    scratch_database_url,
    seed_dashboard,
    seed_kims,
    seed_levels,
    seed_session_references,
    seed_sessions,
)
from kim.mentoring.models import Visit
from kim.register.models import Kim
from outreach.sessions.models import Session

SCRATCH_NAME = "kim_bench_recap"
MAX_SECONDS, MAX_MEGABYTES = 60, 300
SAMPLE_EVERY = 50_000


def fold_into_year() -> None:
    """make bench deals its sessions over two years; the recap counts one: the second is moved a year back."""
    start = dt.datetime(YEAR + 1, 1, 1, tzinfo=dt.UTC) - dt.timedelta(hours=7)  # midnight WIB
    year = dt.timedelta(days=365)
    Session.objects.filter(starts_at__gte=start).update(
        starts_at=F("starts_at") - year, ends_at=F("ends_at") - year
    )


def seed_visits() -> int:
    kims = Kim.objects.order_by("pk").values_list("pk", flat=True)
    Visit.objects.bulk_create(
        (
            Visit(
                kim_id=pk,
                visited_on=dt.date(YEAR, 1, 1) + dt.timedelta(days=pk % 360),
                kind="pendampingan",
                topic="Website",
            )
            for pk in kims.iterator(chunk_size=5000)
        ),
        batch_size=5000,
    )
    return Visit.objects.count()


def resident_megabytes(field: str = "VmRSS") -> int:
    """This process's resident memory now (VmRSS), or its peak since the last reset (VmHWM), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) // 1024
    return 0


def reset_peak() -> None:
    """Start the peak (VmHWM) again from now, so that it measures the build and not the start-up's checks."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def every_village(district: str, path: str = "village") -> Q:
    return Q(**{f"{path}__district_id": district}) if district else Q()


class Command(BaseCommand):
    help = "Time the yearly recap (workbook and PDF) at national scale, with its peak memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sessions", type=int, default=500_000, help="Sessions to seed (default: 500,000)."
        )
        parser.add_argument("--build", choices=["xlsx", "pdf"], help=MEASURE_HELP)

    def handle(self, *args, sessions: int, build: str | None, **options) -> None:
        settings.DEBUG = False
        if build:
            self._build(build)
            return
        self.stdout.write(f"Creating the scratch database {SCRATCH_NAME} ...")
        old_name = create_scratch_database(SCRATCH_NAME)
        try:
            self._run(sessions)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def _run(self, count: int) -> None:
        self.stdout.write(f"Database: {database_version()}; {os.cpu_count()} CPUs")
        start = time.perf_counter()
        env = {**os.environ, "DATABASE_URL": scratch_database_url()}
        subprocess.run(
            [sys.executable, "manage.py", "import_areas", "--all"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
        )
        kims = seed_kims(seed_levels())
        seed_sessions(count, *seed_session_references())
        fold_into_year()
        _targets, reported = seed_dashboard()
        visits = seed_visits()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            f"Seeded {kims:,} KIMs, {count:,} sessions in {YEAR} ({reported:,} reported, each with a follow-up), "
            f"{visits:,} visits in {time.perf_counter() - start:.0f} s"
        )
        for file_format in ("xlsx", "pdf"):
            result = subprocess.run(
                [sys.executable, "manage.py", "bench_recap", "--build", file_format],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            self._report(json.loads(result.stdout.strip().splitlines()[-1]))

    def _report(self, figures: dict) -> None:
        met = figures["seconds"] < MAX_SECONDS and figures["peak_mb"] < MAX_MEGABYTES
        samples = ", ".join(f"{rows:,}: {mb} MB" for rows, mb in figures["samples"])
        self.stdout.write(
            f"recap {figures['format']}: {figures['seconds']:.1f} s, peak {figures['peak_mb']} MB "
            f"(before building {figures['baseline_mb']} MB), {figures['rows']:,} rows, "
            f"{figures['bytes'] / 1e6:.1f} MB file; load average {figures['load']:.1f}; "
            f"aim under {MAX_SECONDS} s and {MAX_MEGABYTES} MB: {'met' if met else 'MISSED'}"
        )
        if samples:
            self.stdout.write(f"  resident memory by rows written: {samples}")

    def _build(self, file_format: str) -> None:
        """In the child: build one file with every village in scope and print its figures as JSON."""
        import kim.dashboard.selectors as dashboard
        import kim.recap.pdf  # noqa: F401  (WeasyPrint's import is not the build's memory)
        import kim.recap.selectors as recap
        from kim.recap.services import recap_write

        dashboard._village_scope = every_village
        recap.scope = every_village
        samples: list[tuple[int, int]] = []
        done = [0]

        def progress(rows: int, total: int | None) -> None:
            done[0] = rows
            if file_format == "xlsx" and rows % SAMPLE_EVERY == 0:
                samples.append((rows, resident_megabytes()))

        reset_peak()
        baseline = resident_megabytes()
        path = settings.BASE_DIR / "var" / f"bench_recap.{file_format}"
        start = time.perf_counter()
        with open(path, "wb") as output:
            recap_write(output, year=YEAR, district="", file_format=file_format, progress=progress)
        seconds = time.perf_counter() - start
        figures = {
            "format": file_format,
            "seconds": seconds,
            "peak_mb": resident_megabytes("VmHWM"),
            "baseline_mb": baseline,
            "rows": done[0],
            "bytes": path.stat().st_size,
            "samples": samples,
            "load": os.getloadavg()[0],
        }
        path.unlink()
        sys.stdout.write(json.dumps(figures) + "\n")


MEASURE_HELP = "Build one file in this process against the current database and print its figures (internal)."
