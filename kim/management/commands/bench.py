"""manage.py bench: time the village list, the KIM list and the session calendar and list with Purbalingga's
villages and the nation's.

At each scale the village pages are timed first; then a KIM with ten members is put in every fifth village
and the KIM list pages are timed; then sessions are spread over those KIMs (about 1,000 in Purbalingga,
500,000 nationally) and the session calendar and list are timed. Each list is timed against the same
no-database page and against Django admin's changelist of its own model. Last, the year's targets, session
reports and follow-up actions are added and the programme dashboard is timed, for the regency and for one
kecamatan (its aims: as many queries at both scales, national within 1.5x of Purbalingga, at most 10x the
no-database page). `--dashboard-only` loads the same data and times the dashboard alone.

Everything happens on a scratch database (PostgreSQL: kim_bench; SQLite: var/kim_bench.sqlite3) that is
dropped at the end; the real database is never opened. Requests go through Django's test client in this
process, so the figures are the application's own time (routing, middleware, queries, templates) without
a network or a server.
"""

import gc
import importlib
import logging
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches

from kim.accounts.models import Role, User
from kim.audit.bench import MAX_OVERHEAD, save_costs
from kim.dashboard.selectors import programme_year
from kim.formation.models import Formation, Step, Target
from kim.register.models import DevelopmentLevel, Kim, Member
from outreach.directory.models import Agency, Topic
from outreach.reports.models import FollowUp, SessionReport
from outreach.sessions.models import Session
from villages.models import Village, VillageYear

SCRATCH_NAME = "kim_bench"
SERVER_CURSOR = re.compile(r"^DECLARE\s+\"[^\"]*\"\s.*?\bCURSOR\b.*?\bFOR\s+", re.DOTALL)
WARMUP = 3
YEAR = 2019
ANONYMOUS, STAFF, SUPERUSER = "anonymous", "staff", "superuser"
# The product's targets for the village list at national scale.
MAX_GROWTH = 1.3  # against the same page with one regency's villages
MAX_OVER_NO_DATABASE = 4.0  # against a page that runs no query


@dataclass(frozen=True)
class Page:
    label: str
    url: str
    client: str
    is_list: bool = True


@dataclass(frozen=True)
class Suite:
    """One list's pages, timed together with the no-database page and the admin changelist to compare."""

    name: str
    unit: str
    pages: tuple[Page, ...]
    admin: Page

    @property
    def lists(self) -> list[Page]:
        return [page for page in self.pages if page.is_list]


NO_DATABASE = Page("no-database page", "/akun/masuk/", ANONYMOUS, is_list=False)
VILLAGE_ADMIN = Page("admin changelist", "/admin/villages/village/", SUPERUSER, is_list=False)
VILLAGES = Suite(
    "village list",
    "villages",
    (
        NO_DATABASE,
        Page("village list, unfiltered", "/desa/", STAFF),
        Page("village list, unfiltered, page 50", "/desa/?page=50", STAFF),
        Page("village list, filtered", f"/desa/?district=33.03.04&year={YEAR}&red_zone=yes", STAFF),
        # "karang" fills a whole page in Purbalingga (37 villages) and nationally (1,115), so both sizes
        # render the same 25 rows; a rarer word would compare one row against twenty-five.
        Page("village list, search", f"/desa/?q=karang&year={YEAR}", STAFF),
        VILLAGE_ADMIN,
    ),
    VILLAGE_ADMIN,
)
# Two KIMs in three carry "Maju" in their name and the first level, so that the search and the level
# filter fill a whole page at both scales, as "karang" does for the villages.
KIM_MOTTOS = ("Maju", "Maju Bersama", "Mandiri")
KIM_LEVELS = ("Pemula", "Madya", "Utama")
KIM_MEMBERS = 10
SEED_CHUNK = 1000


SESSION_AGENCIES = 5
SESSION_TOPICS = ("Literasi digital", "Kesehatan ibu dan anak", "Pertanian")
SESSION_COUNTS = {"Purbalingga": 1000, "national": 500_000}
SESSION_CHUNK = 5000
SESSION_FIRST_DAY = datetime(2019, 1, 1, tzinfo=UTC)
SESSION_DAYS = 731  # 2019-01-01 to 2020-12-31
SESSION_LENGTH = timedelta(hours=2)
# A prime step, so that consecutive sessions (and so each KIM's) land on days scattered over both years.
SESSION_DAY_STEP = 7919
SESSION_ADMIN = Page(
    "default admin changelist of Session", "/admin/outreach/session/", SUPERUSER, is_list=False
)
SESSIONS = Suite(
    "session calendar and list",
    "sessions",
    (
        NO_DATABASE,
        Page("session calendar, month", "/opd/kalender/?view=month&date=2019-03-01", STAFF),
        Page("session calendar, agenda", "/opd/kalender/?view=agenda&date=2019-03-01", STAFF),
        Page(
            "session calendar, month, kecamatan",
            "/opd/kalender/?view=month&date=2019-03-01&kecamatan=33.03.04",
            STAFF,
        ),
        Page("session list, unfiltered", "/opd/sesi/", STAFF),
        Page("session list, page 50", "/opd/sesi/?page=50", STAFF),
        SESSION_ADMIN,
    ),
    SESSION_ADMIN,
)


# The dashboard's aims (issue 11): national within 1.5x of Purbalingga, at most 10x the no-database page, and
# the same number of queries at both scales.
DASHBOARD_MAX_GROWTH = 1.5
DASHBOARD_MAX_OVER_NO_DATABASE = 10.0
DASHBOARD = Suite(
    "dashboard",
    "sessions",
    (
        NO_DATABASE,
        Page("dashboard, regency, 2019", f"/dasbor/?year={YEAR}", STAFF),
        Page("dashboard, kecamatan, 2019", f"/dasbor/?year={YEAR}&kecamatan=33.03.04", STAFF),
        Page("dashboard, regency, this year", "/dasbor/", STAFF),
        SESSION_ADMIN,
    ),
    SESSION_ADMIN,
)
# Every 25th village by code is targeted in YEAR, its formation at a step in turn.
TARGET_EVERY = 25
TARGET_STEPS = ("", Step.COORDINATION, Step.MEETING, Step.DECREE, Step.ACTIVE)


def kim_suite(first_level_id: int) -> Suite:
    admin = Page("admin changelist of Kim", "/admin/kim/kim/", SUPERUSER, is_list=False)
    pages = (
        NO_DATABASE,
        Page("KIM list, unfiltered", "/kim/", STAFF),
        Page("KIM list, unfiltered, page 50", "/kim/?page=50", STAFF),
        Page("KIM list, kecamatan", "/kim/?kecamatan=33.03.04", STAFF),
        Page("KIM list, status and level", f"/kim/?status=active&level={first_level_id}", STAFF),
        Page("KIM list, search", "/kim/?q=maju", STAFF),
        admin,
    )
    return Suite("KIM list", "KIMs", pages, admin)


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p90_ms: float
    queries: list[dict[str, str]]


type Results = dict[Page, Timing]


@dataclass
class Scale:
    label: str
    villages: int
    kims: int = 0
    sessions: int = 0
    results: dict[Suite, Results] = field(default_factory=dict)
    fresh: "Timing | None" = None

    def size(self, suite: Suite) -> int:
        return {"KIMs": self.kims, "sessions": self.sessions}.get(suite.unit, self.villages)


def fetch(client: Client, url: str):
    """GET without following redirects; a streamed body is read to the end so that it is part of the time."""
    response = client.get(url)
    if response.streaming:
        response.getvalue()
    return response


def check_answers_200(client: Client, page: Page) -> None:
    response = fetch(client, page.url)
    if response.status_code != 200:
        location = response.get("Location", "")
        raise CommandError(
            f"{page.url} answered {response.status_code} {location}, not 200: nothing measured."
        )


def captured_queries(client: Client, url: str) -> list[dict[str, str]]:
    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    # Read now: the next request clears the connection's query log.
    return captured.captured_queries


def measure(clients: dict[str, Client], pages: tuple[Page, ...], repeat: int) -> Results:
    """WARMUP then `repeat` timed requests per page, taken in rounds (each round asks every page once), so
    that a burst of load from elsewhere on the machine falls on all pages alike rather than on one."""
    for page in pages:
        check_answers_200(clients[page.client], page)
    for _ in range(WARMUP):
        for page in pages:
            fetch(clients[page.client], page.url)
    queries = {page: captured_queries(clients[page.client], page.url) for page in pages}
    seconds: dict[Page, list[float]] = {page: [] for page in pages}
    for _ in range(repeat):
        for page in pages:
            start = time.perf_counter()
            fetch(clients[page.client], page.url)
            seconds[page].append(time.perf_counter() - start)
    return {
        page: Timing(
            median_ms=statistics.median(seconds[page]) * 1000,
            p90_ms=statistics.quantiles(seconds[page], n=10)[8] * 1000,
            queries=queries[page],
        )
        for page in pages
    }


@transaction.atomic
def seed_statuses(agency: Agency) -> None:
    """Every fifth village by code on the zona merah list of YEAR, every tenth mentored, every 50th a KIM."""
    VillageYear.objects.filter(year=YEAR).delete()
    Session.objects.all().delete()
    Kim.objects.all().delete()
    years, kims = [], []
    codes = Village.objects.order_by("code").values_list("code", flat=True)
    for index, code in enumerate(codes.iterator(chunk_size=5000)):
        if index % 5 == 0:
            mentor = agency if index % 10 == 0 else None
            years.append(
                VillageYear(
                    village_id=code, year=YEAR, is_red_zone=True, red_zone_decree="SK", mentor_agency=mentor
                )
            )
        if index % 50 == 0:
            kims.append(Kim(village_id=code, name=f"KIM {code}"))
    VillageYear.objects.bulk_create(years, batch_size=5000)
    Kim.objects.bulk_create(kims, batch_size=5000)


def seed_levels() -> list[DevelopmentLevel]:
    return DevelopmentLevel.objects.bulk_create(
        DevelopmentLevel(name=name, rank=rank) for rank, name in enumerate(KIM_LEVELS, start=1)
    )


def _bench_kim(number: int, code: str, name: str, levels: list[DevelopmentLevel]) -> Kim:
    # Two in three at the first level, the rest alternately at the second and at none.
    level = levels[0] if number % 3 < 2 else (levels[1] if number % 2 else None)
    motto = KIM_MOTTOS[number % len(KIM_MOTTOS)]
    return Kim(village_id=code, name=f"KIM {name} {motto}", status=Kim.Status.ACTIVE, level=level)


def _bench_members(kims: list[Kim]) -> Iterator[Member]:
    for kim in kims:
        for seat in range(KIM_MEMBERS):
            position = Member.Position.KETUA if seat == 0 else Member.Position.ANGGOTA
            yield Member(
                kim=kim, name=f"Anggota {kim.pk}-{seat}", position=position, phone=f"+62812{kim.pk:07d}"
            )


@transaction.atomic
def seed_kims(levels: list[DevelopmentLevel]) -> int:
    """An active KIM in every fifth village by code, each with a ketua and nine other members."""
    Member.objects.all().delete()
    Session.objects.all().delete()
    Kim.objects.all().delete()
    villages = Village.objects.order_by("code").values_list("code", "name")
    every_fifth = list(islice(villages.iterator(chunk_size=5000), 0, None, 5))
    # A chunk at a time: 167,530 member objects alive at once would leave this process's heap grown,
    # and every request timed afterwards slower (the no-database page included).
    for start in range(0, len(every_fifth), SEED_CHUNK):
        chunk = every_fifth[start : start + SEED_CHUNK]
        kims = Kim.objects.bulk_create(
            _bench_kim(number, code, name, levels) for number, (code, name) in enumerate(chunk, start=start)
        )
        Member.objects.bulk_create(_bench_members(kims), batch_size=5000)
    return len(every_fifth)


def seed_session_references() -> tuple[list[Agency], list[Topic]]:
    agencies = Agency.objects.bulk_create(
        Agency(name=f"Dinas Sesi {number}", short_name=f"Sesi{number}")
        for number in range(1, SESSION_AGENCIES + 1)
    )
    return agencies, Topic.objects.bulk_create(Topic(name=name) for name in SESSION_TOPICS)


def _session_state(number: int) -> str:
    """Three in four confirmed; the rest reported, proposed or cancelled."""
    slot = number % 20
    if slot == 0:
        return Session.State.CANCELLED
    if slot < 3:
        return Session.State.PROPOSED
    if slot < 5:
        return Session.State.REPORTED
    return Session.State.CONFIRMED


def _bench_session(number: int, kim_id: int, agencies: list[Agency], topics: list[Topic]) -> Session:
    # 08:00 to 15:00 WIB (UTC+7), on a day scattered over 2019 and 2020.
    starts_at = SESSION_FIRST_DAY + timedelta(
        days=number * SESSION_DAY_STEP % SESSION_DAYS, hours=1 + number % 8
    )
    state = _session_state(number)
    return Session(
        agency=agencies[number % len(agencies)],
        kim_id=kim_id,
        topic=topics[number % len(topics)],
        title=f"Sosialisasi {number}",
        venue=f"Balai desa KIM {kim_id}",
        starts_at=starts_at,
        ends_at=starts_at + SESSION_LENGTH,
        state=state,
        cancelled_reason="Bench" if state == Session.State.CANCELLED else "",
    )


@transaction.atomic
def seed_sessions(count: int, agencies: list[Agency], topics: list[Topic]) -> int:
    """`count` sessions dealt in turn to every KIM, built and saved a chunk at a time to keep the heap small."""
    Session.objects.all().delete()
    kim_ids = list(Kim.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, count, SESSION_CHUNK):
        chunk = [
            _bench_session(number, kim_ids[number % len(kim_ids)], agencies, topics)
            for number in range(start, min(start + SESSION_CHUNK, count))
        ]
        Session.objects.bulk_create(chunk, batch_size=SESSION_CHUNK)
    return count


def _bench_formation(number: int, target: Target, now: datetime) -> Formation:
    step = TARGET_STEPS[number % len(TARGET_STEPS)]
    return Formation(
        target=target,
        step=step,
        state=Formation.State.DONE if step == Step.ACTIVE else Formation.State.OPEN,
        confirmation=Formation.Confirmation.PENDING if step == Step.MEETING else "",
        step_changed_at=now - timedelta(days=number % 60),
    )


@transaction.atomic
def seed_dashboard() -> tuple[int, int]:
    """The year's targets (every 25th village, each formation at a step in turn), and a report with
    attendance and a follow-up action for every reported session, a chunk at a time."""
    FollowUp.objects.all().delete()
    SessionReport.objects.all().delete()
    Formation.objects.all().delete()
    Target.objects.all().delete()
    codes = Village.objects.order_by("code").values_list("code", flat=True)
    villages = list(islice(codes.iterator(chunk_size=5000), 0, None, TARGET_EVERY))
    now = datetime.now(UTC)
    for start in range(0, len(villages), SEED_CHUNK):
        targets = Target.objects.bulk_create(
            Target(village_id=code, year=YEAR, reason="Bench")
            for code in villages[start : start + SEED_CHUNK]
        )
        Formation.objects.bulk_create(
            _bench_formation(number, target, now) for number, target in enumerate(targets, start=start)
        )
    reported = (
        Session.objects.filter(state=Session.State.REPORTED).order_by("pk").values_list("pk", "starts_at")
    )
    count = 0
    rows = reported.iterator(chunk_size=SESSION_CHUNK)
    while chunk := list(islice(rows, SESSION_CHUNK)):
        SessionReport.objects.bulk_create(
            SessionReport(session_id=pk, attended_male=pk % 17, attended_female=pk % 23) for pk, _ in chunk
        )
        FollowUp.objects.bulk_create(
            FollowUp(
                session_id=pk,
                action="Tindak lanjut",
                owner="Bidan desa",
                due_on=(starts_at + timedelta(days=14)).date(),
                done_on=(starts_at + timedelta(days=7 + pk % 14)).date() if pk % 3 else None,
            )
            for pk, starts_at in chunk
        )
        count += len(chunk)
    return len(villages), count


def register_session_admin() -> None:
    """The app has no admin for Session: register Django's default ModelAdmin, for a changelist to compare.

    The URLconf (and admin.site.urls with it) was read by the system checks before the command ran, so it is
    read again; nothing of this outlives the process.
    """
    if admin.site.is_registered(Session):
        return
    admin.site.register(Session)
    clear_url_caches()
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))


def database_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        return f"{connection.vendor} {cursor.fetchone()[0]}"


def aims(
    suite: Suite, regional: Results, national: Results, growth: str
) -> list[tuple[str, dict[Page, float], float, bool]]:
    """Each target as (wording, list page → ratio, limit, whether reaching the limit misses)."""
    return [
        (
            f"{growth} within {MAX_GROWTH}x",
            {page: national[page].median_ms / regional[page].median_ms for page in suite.lists},
            MAX_GROWTH,
            False,
        ),
        (
            f"at most {MAX_OVER_NO_DATABASE:g}x the no-database page",
            {page: national[page].median_ms / national[NO_DATABASE].median_ms for page in suite.lists},
            MAX_OVER_NO_DATABASE,
            False,
        ),
        (
            f"faster than the {suite.admin.label} (below 1x)",
            {page: national[page].median_ms / national[suite.admin].median_ms for page in suite.lists},
            1.0,
            True,
        ),
    ]


def explain(sql: str) -> str:
    """The plan of a captured query: run and timed on PostgreSQL, only planned on SQLite."""
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())


def plain_select(sql: str) -> str:
    """The SELECT inside a logged `DECLARE ... CURSOR FOR SELECT` (a server-side cursor of .iterator())."""
    return SERVER_CURSOR.sub("", sql, count=1)


def query_ms(sql: str, runs: int = 5) -> float:
    """The best time of a captured query run again `runs` times, rows fetched included."""
    best = float("inf")
    with connection.cursor() as cursor:
        for _ in range(runs):
            start = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            best = min(best, time.perf_counter() - start)
    return best * 1000


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x"


def create_scratch_database(name: str) -> str:
    """Point the default database at a scratch one, created empty and migrated; return the real name."""
    old_name = connection.settings_dict["NAME"]
    scratch = (
        str(Path(settings.BASE_DIR) / "var" / f"{name}.sqlite3") if connection.vendor == "sqlite" else name
    )
    connection.settings_dict["TEST"]["NAME"] = scratch
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return old_name


def scratch_database_url() -> str:
    """The scratch database as a DATABASE_URL, for a child process (manage.py reads nothing else)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class Command(BaseCommand):
    help = (
        "Time the village list, the KIM list and the session calendar and list (and, for comparison, the "
        "admin changelists and a page with no query) with Purbalingga's 239 villages and with all 83,762, a "
        "KIM in every fifth village and 1,000 or 500,000 sessions, on a scratch database dropped at the end."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page (default: 30).")
        parser.add_argument(
            "--explain",
            action="store_true",
            help="For each list page that misses a target, show its slowest query's plan.",
        )
        parser.add_argument(
            "--dashboard-only",
            action="store_true",
            help="Load the same data at both scales but time only the programme dashboard.",
        )
        parser.add_argument(
            "--history-only",
            action="store_true",
            help="Only time what the audit trail costs a KIM's and a session's save (Purbalingga's villages).",
        )

    def handle(
        self,
        *args,
        repeat: int,
        explain: bool,
        history_only: bool = False,
        dashboard_only: bool = False,
        **options,
    ) -> None:
        if repeat < 2:
            raise CommandError("--repeat must be at least 2.")
        settings.DEBUG = False
        # django-axes logs every force_login at INFO; that is noise in a report.
        logging.getLogger("axes").setLevel(logging.WARNING)
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        register_session_admin()
        self.stdout.write(f"Creating the scratch database {SCRATCH_NAME} ...")
        old_name = create_scratch_database(SCRATCH_NAME)
        try:
            if history_only:
                self._history_only()
            else:
                self._run(repeat, explain, dashboard_only=dashboard_only)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def _run(self, repeat: int, explain: bool, *, dashboard_only: bool = False) -> None:
        self.stdout.write(f"Database: {database_version()}")
        self.stdout.write(
            f"Machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {sys.version.split()[0]}; "
            f"{WARMUP} warm-up and {repeat} timed requests per page"
        )
        agency = Agency.objects.create(name="Dinas Bench", short_name="Bench")
        levels = seed_levels()
        kims = kim_suite(levels[0].pk)
        agencies, topics = seed_session_references()
        clients = self._clients()
        scales = []
        for label, import_args in (("Purbalingga", ["--regency", "33.03"]), ("national", ["--all"])):
            scale = Scale(label, villages=self._load(label, import_args, agency))
            if not dashboard_only:
                scale.results[VILLAGES] = self._measure_pages(clients, VILLAGES, repeat)
            scale.kims = self._load_kims(label, levels)
            if not dashboard_only:
                scale.results[kims] = self._measure_pages(clients, kims, repeat)
            scale.sessions = self._load_sessions(label, SESSION_COUNTS[label], agencies, topics)
            if not dashboard_only:
                scale.results[SESSIONS] = self._measure_pages(clients, SESSIONS, repeat)
            self._load_dashboard(label)
            scale.results[DASHBOARD] = self._measure_pages(clients, DASHBOARD, repeat)
            scale.fresh = self._measure_fresh_figures(repeat)
            scales.append(scale)
            if label == "Purbalingga" and not dashboard_only:
                self._report_save_costs(agencies[0], topics[0])
        for suite in () if dashboard_only else (VILLAGES, kims, SESSIONS):
            missed = self._report(suite, scales)
            if explain and missed:
                self._explain(suite, missed, scales[-1].results[suite])
        missed = self._report_dashboard(scales)
        if explain and missed:
            self._explain(DASHBOARD, missed, scales[-1].results[DASHBOARD])

    def _history_only(self) -> None:
        self.stdout.write(f"Database: {database_version()}")
        agency = Agency.objects.create(name="Dinas Bench", short_name="Bench")
        self._load("Purbalingga", ["--regency", "33.03"], agency)
        self._load_kims("Purbalingga", seed_levels())
        agencies, topics = seed_session_references()
        self._report_save_costs(agencies[0], topics[0])

    def _report_save_costs(self, agency: Agency, topic: Topic) -> None:
        """The audit trail's cost on a save, through the services, with the trail on and off."""
        kim = Kim.objects.order_by("pk").first()
        assert kim is not None
        actor = User.objects.create_user(username="bench-officer", role=Role.OPD_OFFICER, agency=agency)
        starts_at = SESSION_FIRST_DAY + timedelta(days=800)
        session = Session.objects.create(
            agency=agency,
            kim=kim,
            topic=topic,
            title="Sosialisasi bench",
            venue="Balai desa",
            starts_at=starts_at,
            ends_at=starts_at + SESSION_LENGTH,
            state=Session.State.PROPOSED,
        )
        clock = "CPU" if connection.vendor == "sqlite" else "wall"
        self.stdout.write(
            f"\nThe audit trail's cost on a save (median {clock} ms per save through the service)\n"
        )
        self.stdout.write("| save | with the trail | without | overhead |")
        self.stdout.write("| --- | ---: | ---: | ---: |")
        costs = save_costs(kim=kim, session=session, actor=actor)
        for cost in costs:
            self.stdout.write(
                f"| {cost.label} | {cost.with_trail_ms:.2f} | {cost.without_trail_ms:.2f} | {cost.overhead:+.0%} |"
            )
        over = [cost.label for cost in costs if cost.overhead >= MAX_OVERHEAD]
        verdict = f"MISS ({', '.join(over)})" if over else "PASS"
        self.stdout.write(f"- Aim: the trail adds under {MAX_OVERHEAD:.0%} to a save: {verdict}\n")

    def _clients(self) -> dict[str, Client]:
        staff = User.objects.create_user(username="bench-staff", role=Role.STAFF)
        superuser = User.objects.create_superuser(username="bench-admin", role=Role.STAFF_ADMIN)
        clients = {ANONYMOUS: Client(), STAFF: Client(), SUPERUSER: Client()}
        clients[STAFF].force_login(staff)
        clients[SUPERUSER].force_login(superuser)
        return clients

    def _load(self, label: str, import_args: list[str], agency: Agency) -> int:
        start = time.perf_counter()
        # In a child process: 83,762 imported rows left in this process's heap would slow every later
        # request here (the no-database page included) and blur the comparison between the two scales.
        subprocess.run(
            [sys.executable, "manage.py", "import_areas", *import_args],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DATABASE_URL": scratch_database_url()},
            check=True,
            capture_output=True,
        )
        imported = time.perf_counter() - start
        start = time.perf_counter()
        seed_statuses(agency)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seeded = time.perf_counter() - start
        count = Village.objects.count()
        gc.collect()
        self.stdout.write(
            f"{label}: {count:,} villages; import_areas {imported:.1f} s, "
            f"statuses and ANALYZE {seeded:.1f} s; load average {os.getloadavg()[0]:.2f}"
        )
        return count

    def _load_kims(self, label: str, levels: list[DevelopmentLevel]) -> int:
        start = time.perf_counter()
        count = seed_kims(levels)
        if connection.vendor == "postgresql":
            # VACUUM as well as ANALYZE: autovacuum would otherwise start on the new rows in the middle
            # of the timings; the list is measured as it runs once the tables have settled.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) kim_kim, kim_member")
        seeded = time.perf_counter() - start
        gc.collect()
        self.stdout.write(
            f"{label}: {count:,} KIMs with {count * KIM_MEMBERS:,} members; seeded and analysed in "
            f"{seeded:.1f} s; load average {os.getloadavg()[0]:.2f}"
        )
        return count

    def _load_sessions(self, label: str, count: int, agencies: list[Agency], topics: list[Topic]) -> int:
        start = time.perf_counter()
        seed_sessions(count, agencies, topics)
        created = time.perf_counter() - start
        if connection.vendor == "postgresql":
            # VACUUM as well as ANALYZE, as for the KIMs: autovacuum is not to start during the timings.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {Session._meta.db_table}")
        seeded = time.perf_counter() - start
        gc.collect()
        self.stdout.write(
            f"{label}: {count:,} sessions; created in {created:.1f} s, with VACUUM (ANALYZE) {seeded:.1f} s; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        return count

    def _load_dashboard(self, label: str) -> None:
        start = time.perf_counter()
        targets, reports = seed_dashboard()
        # Seeded in bulk, so no change on the audit trail tells the dashboard its kept figures are old.
        cache.clear()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Target, Formation, SessionReport, FollowUp):
                    cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
        gc.collect()
        self.stdout.write(
            f"{label}: {targets:,} targets of {YEAR}, {reports:,} session reports with a follow-up action; "
            f"seeded and analysed in {time.perf_counter() - start:.1f} s"
        )

    def _measure_fresh_figures(self, repeat: int) -> Timing:
        """The dashboard's figures read afresh (what a request pays after something is recorded, and what
        the yearly recap reads): programme_year for the regency in YEAR, untouched by the cache."""
        for _ in range(WARMUP):
            programme_year(YEAR)
        seconds = []
        for _ in range(repeat):
            start = time.perf_counter()
            programme_year(YEAR)
            seconds.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            programme_year(YEAR)
        timing = Timing(
            statistics.median(seconds) * 1000,
            statistics.quantiles(seconds, n=10)[-1] * 1000,
            queries.captured_queries,
        )
        self.stdout.write(
            f"  {'figures read afresh (programme_year)':<36} median {timing.median_ms:7.1f} ms, "
            f"p90 {timing.p90_ms:7.1f} ms, {len(timing.queries)} queries"
        )
        return timing

    def _report_dashboard(self, scales: list[Scale]) -> set[Page]:
        """The dashboard's table and its three aims; return the pages that missed one."""
        small, large = scales
        regional, national = small.results[DASHBOARD], large.results[DASHBOARD]
        self.stdout.write(
            f"\ndashboard, {small.villages:,} villages, {small.sessions:,} sessions and "
            f"{large.villages:,} villages, {large.kims:,} KIMs, {large.sessions:,} sessions\n"
        )
        self.stdout.write(
            "| page | ms @ regency | queries @ regency | ms @ national | queries @ national "
            "| national / regency | vs no-database page |"
        )
        self.stdout.write("| ---" + " | ---:" * 6 + " |")
        for page in DASHBOARD.pages:
            row = self._row(DASHBOARD, page, regional, national)
            self.stdout.write("| " + " | ".join(row[:-1]) + " |")
        before, after = small.fresh, large.fresh
        assert before is not None and after is not None
        self.stdout.write(
            f"| figures read afresh (programme_year, regency, {YEAR}) | {before.median_ms:.1f} | "
            f"{len(before.queries)} | {after.median_ms:.1f} | {len(after.queries)} | "
            f"{ratio(after.median_ms, before.median_ms)} | "
            f"{ratio(after.median_ms, national[NO_DATABASE].median_ms)} |"
        )
        self.stdout.write(
            "\nThe page keeps its figures until anything is recorded (kim.dashboard.selectors.Kept): the "
            "pages above read them kept, after the warm-up; the last row is what reading them costs.\n"
        )
        pages = DASHBOARD.lists
        aims = [
            (
                "as many queries at both scales",
                {page: len(national[page].queries) / len(regional[page].queries) for page in pages},
                1.0,
            ),
            (
                f"national within {DASHBOARD_MAX_GROWTH}x of Purbalingga",
                {page: national[page].median_ms / regional[page].median_ms for page in pages},
                DASHBOARD_MAX_GROWTH,
            ),
            (
                f"at most {DASHBOARD_MAX_OVER_NO_DATABASE:g}x the no-database page",
                {page: national[page].median_ms / national[NO_DATABASE].median_ms for page in pages},
                DASHBOARD_MAX_OVER_NO_DATABASE,
            ),
        ]
        missed: set[Page] = set()
        for aim, ratios, limit in aims:
            over = {page for page, value in ratios.items() if value > limit}
            missed |= over
            figures = ", ".join(
                f"{page.label.removeprefix('dashboard, ')} {value:.2f}x" for page, value in ratios.items()
            )
            verdict = f"MISS ({len(over)} of {len(ratios)} pages)" if over else "PASS"
            self.stdout.write(f"- Aim: {aim}: {verdict}: {figures}")
        return missed

    def _measure_pages(self, clients: dict[str, Client], suite: Suite, repeat: int) -> Results:
        results = measure(clients, suite.pages, repeat)
        for page, timing in results.items():
            self.stdout.write(
                f"  {page.label:<36} median {timing.median_ms:7.1f} ms, p90 {timing.p90_ms:7.1f} ms, "
                f"{len(timing.queries)} queries  {page.url}"
            )
        if results[NO_DATABASE].queries:
            self.stdout.write(
                self.style.WARNING(
                    f"  NOTE: the no-database page ran {len(results[NO_DATABASE].queries)} queries."
                )
            )
        return results

    def _report(self, suite: Suite, scales: list[Scale]) -> set[Page]:
        """Print the suite's table and its three aims; return the list pages that missed an aim."""
        small, large = scales
        before, after = small.size(suite), large.size(suite)
        regional, national = small.results[suite], large.results[suite]
        self.stdout.write(f"\n{suite.name}, {before:,} and {after:,} {suite.unit}\n")
        self.stdout.write(
            f"| page | ms @ {before:,} | queries @ {before:,} | ms @ {after:,} | queries @ {after:,} "
            f"| {after:,} / {before:,} | vs no-database page | vs {suite.admin.label} |"
        )
        self.stdout.write("| ---" + " | ---:" * 7 + " |")
        for page in suite.pages:
            self.stdout.write("| " + " | ".join(self._row(suite, page, regional, national)) + " |")
        self.stdout.write("")
        missed: set[Page] = set()
        growth = f"{after:,} {suite.unit} against {before:,}"
        for aim, ratios, limit, strict in aims(suite, regional, national, growth):
            over = {page for page, value in ratios.items() if value > limit or (strict and value == limit)}
            missed |= over
            figures = ", ".join(
                f"{page.label.removeprefix(f'{suite.name}, ')} {value:.2f}x" for page, value in ratios.items()
            )
            verdict = f"MISS ({len(over)} of {len(ratios)} pages)" if over else "PASS"
            self.stdout.write(f"- Aim: {aim}: {verdict}: {figures}")
        return missed

    def _row(self, suite: Suite, page: Page, regional: Results, national: Results) -> list[str]:
        before, after = regional[page], national[page]
        admin = suite.admin
        return [
            page.label,
            f"{before.median_ms:.1f}",
            str(len(before.queries)),
            f"{after.median_ms:.1f}",
            str(len(after.queries)),
            ratio(after.median_ms, before.median_ms),
            ratio(after.median_ms, national[NO_DATABASE].median_ms) if page != NO_DATABASE else "—",
            ratio(after.median_ms, national[admin].median_ms) if page != admin else "—",
        ]

    def _explain(self, suite: Suite, pages: set[Page], national: Results) -> None:
        """Each query of each page that missed an aim, timed again on its own, and the slowest one's plan.

        The query log's times are rounded to the millisecond, so every query is run again here (best of 5).
        """
        for page in suite.pages:
            if page not in pages:
                continue
            sqls = [plain_select(query["sql"]) for query in national[page].queries]
            timed = [(query_ms(sql), sql) for sql in sqls]
            self.stdout.write(f"\n### {page.label} at national scale ({page.url})\n")
            for number, (ms, sql) in enumerate(timed, start=1):
                self.stdout.write(f"{number}. {ms:7.2f} ms  {sql[:90]}")
            total = sum(ms for ms, _ in timed)
            self.stdout.write(
                f"Together {total:.1f} ms of the page's median {national[page].median_ms:.1f} ms; "
                "the rest is Python (middleware, session, filter form, template)."
            )
            ms, sql = max(timed)
            self.stdout.write(f"\nSlowest ({ms:.2f} ms):\n\n{sql}\n\n{explain(sql)}")
