"""manage.py bench_reminders: how long planning takes for 10,000 sessions, and how fast one worker sends 10,000
due reminders compared with 10,000 tasks that do nothing.

Planning: 10,000 future sessions (half proposed, half confirmed) in 100 KIMs, each with an officer (inbox),
a resource person (email and WhatsApp), the KIM's ketua (WhatsApp) and the village head (inbox and email),
are created in bulk; then `planning.plan_subjects("session", ids)` is timed in one transaction, as the
services call it.

Sending: every session is then cancelled (in bulk, with its event, as `session_cancel` leaves it) and
planned again, which withdraws the reminders and plans one cancellation notice per session, due now, for
the agency's officer in the inbox (the notice rule is narrowed to the officers for that: inbox only, so no
mail backend is involved). One worker (`celery -A kim worker --concurrency 2`, as in production, on the
scratch database) runs the sweep; the time runs from the sweep's call until the last row is sent. The yardstick is the same
worker running `kim.management.bench_tasks.fan_out`: one task that publishes 10,000 no-op tasks, as the sweep publishes
its sends, timed before and after the sweep.

Everything happens on a scratch database (PostgreSQL: kim_bench_reminders; SQLite:
var/kim_bench_reminders.sqlite3), dropped at the end, and on a Redis database of the bench's own (number 15
of REDIS_URL's server by default), emptied before and after.
"""

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO
from urllib.parse import urlsplit, urlunsplit

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from kim.accounts.models import Role, User
from kim.celery import app
from kim.management.commands.bench import create_scratch_database, database_version, scratch_database_url
from kim.register.models import Kim, Member
from kim.reminders import planning
from kim.reminders.models import Reminder, ReminderRule
from outreach.directory.models import Agency, ResourcePerson, Topic
from outreach.sessions.models import Session, SessionEvent
from outreach.sessions.reminders import SESSION_CHANGED
from villages.models import District, Province, Regency, Village

SCRATCH_NAME = "kim_bench_reminders"
SESSIONS = 10_000
VILLAGES = 100
AGENCIES = 5
SPEAKERS = 20
CHUNK = 5000
BROKER_DB = 15
WARMUP_TASKS = 200
READY_TIMEOUT = 60.0  # seconds for the worker to start and run the warm-up
RUN_TIMEOUT = 1800.0
AIM = 0.75  # sweep throughput against the no-op tasks'


@dataclass(frozen=True)
class Run:
    label: str
    tasks: int
    seconds: float
    load: float = field(default_factory=lambda: os.getloadavg()[0])

    @property
    def per_second(self) -> float:
        return self.tasks / self.seconds


def broker_for_bench(redis_url: str, db: int) -> str:
    return urlunsplit(urlsplit(redis_url)._replace(path=f"/{db}"))


# Seeding


@transaction.atomic
def seed_places() -> list[Kim]:
    """One kecamatan of VILLAGES villages, each with an active KIM, its ketua and a village head account."""
    province = Province.objects.create(code="33", name="Jawa Tengah")
    regency = Regency.objects.create(code="33.03", province=province, name="Kabupaten Purbalingga")
    district = District.objects.create(code="33.03.04", regency=regency, name="Kaligondang")
    villages = Village.objects.bulk_create(
        Village(code=f"33.03.04.{2001 + n}", district=district, name=f"Desa {n}", kind="desa")
        for n in range(VILLAGES)
    )
    kims = Kim.objects.bulk_create(
        Kim(village=village, name=f"KIM {village.name}", status=Kim.Status.ACTIVE) for village in villages
    )
    Member.objects.bulk_create(
        Member(kim=kim, name=f"Ketua {kim.name}", position=Member.Position.KETUA, phone=f"+62812{n:07d}")
        for n, kim in enumerate(kims)
    )
    User.objects.bulk_create(
        User(username=f"kades{n}", email=f"kades{n}@example.com", role=Role.VILLAGE_HEAD, village=village)
        for n, village in enumerate(villages)
    )
    return kims


@transaction.atomic
def seed_agencies() -> tuple[list[Agency], list[ResourcePerson], Topic]:
    """AGENCIES agencies, each with one officer who reads reminders in the inbox only, and SPEAKERS speakers."""
    agencies = Agency.objects.bulk_create(
        Agency(name=f"Dinas Bench {n}", short_name=f"Bench{n}") for n in range(AGENCIES)
    )
    User.objects.bulk_create(
        User(
            username=f"petugas{n}",
            email=f"petugas{n}@example.com",
            role=Role.OPD_OFFICER,
            agency=agency,
            notify_by_email=False,
        )
        for n, agency in enumerate(agencies)
    )
    speakers = ResourcePerson.objects.bulk_create(
        ResourcePerson(
            name=f"Narasumber {n}",
            agency=agencies[n % AGENCIES],
            email=f"narasumber{n}@example.com",
            phone=f"+62813{n:07d}",
        )
        for n in range(SPEAKERS)
    )
    return agencies, speakers, Topic.objects.create(name="Literasi digital")


@transaction.atomic
def seed_sessions(count: int, kims: list[Kim]) -> list[int]:
    """`count` sessions 10 to 40 days ahead, half proposed and half confirmed, each with a resource person."""
    agencies, speakers, topic = seed_agencies()
    now = timezone.now()
    through = Session.resource_persons.through
    ids: list[int] = []
    for start in range(0, count, CHUNK):
        sessions = Session.objects.bulk_create(
            _session(n, now, kims[n % len(kims)], agencies[n % len(agencies)], topic)
            for n in range(start, min(start + CHUNK, count))
        )
        through.objects.bulk_create(
            through(session_id=session.pk, resourceperson_id=speakers[n % len(speakers)].pk)
            for n, session in enumerate(sessions, start=start)
        )
        ids += [session.pk for session in sessions]
    return ids


def _session(n: int, now: dt.datetime, kim: Kim, agency: Agency, topic: Topic) -> Session:
    starts = now + dt.timedelta(days=10 + n % 30, hours=n % 8)
    state = Session.State.CONFIRMED if n % 2 else Session.State.PROPOSED
    return Session(
        agency=agency,
        kim=kim,
        topic=topic,
        title=f"Sosialisasi {n}",
        venue=f"Balai {kim.name}",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        state=state,
    )


def cancel_all(ids: list[int]) -> None:
    """What `session_cancel` leaves behind, for every session at once: the state and the event."""
    now = timezone.now()
    Session.objects.filter(pk__in=ids).update(state=Session.State.CANCELLED, cancelled_reason="Bench")
    for start in range(0, len(ids), CHUNK):
        SessionEvent.objects.bulk_create(
            SessionEvent(session_id=pk, kind=SessionEvent.Kind.CANCELLED, at=now, notes="Bench")
            for pk in ids[start : start + CHUNK]
        )


def timed(function: Callable[[], int]) -> tuple[int, float]:
    start = time.perf_counter()
    with transaction.atomic():
        result = function()
    return result, time.perf_counter() - start


# The worker


class Worker:
    """One `celery worker` (prefork, two processes, as docker-compose runs it) on the scratch database and the
    bench's broker."""

    def __init__(self, broker_url: str, log: IO[bytes]) -> None:
        self.log = log
        env = {
            **os.environ,
            "DATABASE_URL": scratch_database_url(),
            "REDIS_URL": broker_url,
            "CONN_MAX_AGE": "60",  # as in production (the test environment's default is 0)
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kim",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "2",
        ]
        command += ["--include", "kim.management.bench_tasks", "--without-heartbeat", "--without-mingle"]
        command += ["--without-gossip", "--loglevel", "WARNING", "--hostname", f"bench-{os.getpid()}@%h"]
        self.process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise CommandError(f"The worker stopped (exit {self.process.returncode}):\n{self.tail()}")

    def tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def stop(self) -> None:
        self.process.terminate()  # a warm shutdown: it closes its database connections
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@contextmanager
def running_worker(broker_url: str) -> Iterator[Worker]:
    with tempfile.TemporaryFile() as log:
        worker = Worker(broker_url, log)
        try:
            yield worker
        finally:
            worker.stop()


def wait_for(
    condition: Callable[[], bool], worker: Worker, timeout: float, what: str, every: float = 0.02
) -> None:
    """Poll `condition`; the runs' end times are read from what the tasks wrote, so polling slowly (to leave
    the CPUs to the worker) costs no precision."""
    deadline = time.monotonic() + timeout
    while not condition():
        worker.check_alive()
        if time.monotonic() > deadline:
            raise CommandError(f"Still waiting for {what} after {timeout:.0f} s:\n{worker.tail()}")
        time.sleep(every)


def run_noops(
    client: redis.Redis, worker: Worker, count: int, label: str, timeout: float = RUN_TIMEOUT
) -> Run:
    from kim.management.bench_tasks import fan_out

    key = f"bench-done-{uuid.uuid4()}"
    start = time.time()
    fan_out.delay(count, key)
    wait_for(lambda: client.get(key) is not None, worker, timeout, f"{count:,} no-op tasks")
    return Run(label, count, float(client.get(key) or 0) - start)


def run_sweep(worker: Worker, count: int) -> Run:
    from kim.reminders.tasks import sweep_reminders

    sent = Reminder.objects.filter(state=Reminder.State.SENT)
    start = time.time()
    sweep_reminders.delay()
    wait_for(lambda: sent.count() >= count, worker, RUN_TIMEOUT, f"{count:,} reminders to be sent", every=0.5)
    last = sent.aggregate(last=Max("sent_at"))["last"]
    return Run(f"sweep: {count:,} due reminders (inbox) sent", count, last.timestamp() - start)


class Command(BaseCommand):
    help = (
        "Time planning reminders for 10,000 sessions, and the sweep sending 10,000 due reminders through one "
        "Celery worker against 10,000 no-op tasks, on a scratch database dropped at the end."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sessions", type=int, default=SESSIONS, help="Sessions (default: 10,000).")
        parser.add_argument(
            "--redis-db", type=int, default=BROKER_DB, help="Redis database of the bench's own (default: 15)."
        )

    def handle(self, *args, sessions: int, redis_db: int, **options) -> None:
        settings.DEBUG = False
        self.stdout.write(f"Creating the scratch database {SCRATCH_NAME} ...")
        old_name = create_scratch_database(SCRATCH_NAME)
        try:
            self._run(sessions, redis_db)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def _run(self, count: int, redis_db: int) -> None:
        self.stdout.write(
            f"Database: {database_version()}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}"
        )
        ids = seed_sessions(count, seed_places())
        self.stdout.write(f"Seeded {count:,} sessions; planning their reminders ...")
        planned, seconds = timed(lambda: planning.plan_subjects("session", ids))
        self.stdout.write(f"  {planned:,} rows planned in {seconds:.2f} s; cancelling every session ...")
        rows: list[tuple[str, ...]] = [
            (
                f"plan {count:,} sessions (proposed and confirmed)",
                f"{planned:,} rows",
                f"{seconds:.2f}",
                f"{planned / seconds:,.0f} rows/s ({count / seconds:,.0f} sessions/s)",
                f"{os.getloadavg()[0]:.1f}",
            )
        ]
        notices = ReminderRule.objects.get(trigger=SESSION_CHANGED)
        notices.audience = ["officers"]
        notices.save(update_fields=["audience"])
        cancel_all(ids)
        created, seconds = timed(lambda: planning.plan_subjects("session", ids))
        withdrawn = Reminder.objects.filter(state=Reminder.State.WITHDRAWN).count()
        self.stdout.write(f"  {withdrawn:,} withdrawn and {created:,} notices planned in {seconds:.2f} s")
        rows.append(
            (
                f"plan them again, all cancelled (withdraw {withdrawn:,}, plan {created:,} notices)",
                f"{withdrawn + created:,} rows",
                f"{seconds:.2f}",
                f"{(withdrawn + created) / seconds:,.0f} rows/s",
                f"{os.getloadavg()[0]:.1f}",
            )
        )
        due = Reminder.objects.filter(state=Reminder.State.PLANNED, due_at__lte=timezone.now()).count()
        if due != count:
            raise CommandError(f"Expected {count:,} due notices, found {due:,}.")
        redis_url = settings.REDIS_URL
        if not redis_url:
            self._table(rows)
            self.stdout.write(
                self.style.WARNING(
                    "REDIS_URL is not set: the sweep's throughput needs a real Redis broker; that part was "
                    "skipped (e.g. REDIS_URL=redis://127.0.0.1:6379/0 make bench)."
                )
            )
            return
        runs = self._throughput(broker_for_bench(redis_url, redis_db), count)
        self._table(
            rows
            + [
                (
                    run.label,
                    f"{run.tasks:,} tasks",
                    f"{run.seconds:.2f}",
                    f"{run.per_second:,.0f} tasks/s",
                    f"{run.load:.1f}",
                )
                for run in runs
            ]
        )
        self._verdict(runs)

    def _throughput(self, broker_url: str, count: int) -> list[Run]:
        self.stdout.write(f"Broker: {broker_url} (emptied); one worker, prefork with two processes")
        app.conf.broker_url = broker_url
        client = redis.Redis.from_url(broker_url)
        client.flushdb()
        try:
            with running_worker(broker_url) as worker:
                run_noops(client, worker, WARMUP_TASKS, "warm-up", READY_TIMEOUT)
                noop = f"no-op: {count:,} tasks fanned out by one task"
                runs: list[Run] = []
                for run in (
                    lambda: run_noops(client, worker, count, f"{noop}, before the sweep"),
                    lambda: run_sweep(worker, count),
                    lambda: run_noops(client, worker, count, f"{noop}, after the sweep"),
                ):
                    runs.append(run())
                    self.stdout.write(f"  {runs[-1].label}: {runs[-1].per_second:,.0f} tasks/s")
        finally:
            client.flushdb()
            client.close()
        states = dict(
            Reminder.objects.filter(trigger=SESSION_CHANGED).values_list("state").annotate(n=Count("id"))
        )
        if states != {Reminder.State.SENT: count}:
            raise CommandError(f"Not every notice was sent once: {states}")
        return runs

    def _table(self, rows: list[tuple[str, ...]]) -> None:
        self.stdout.write("\n| measure | size | seconds | rate | load average after |")
        self.stdout.write("| --- | ---: | ---: | ---: | ---: |")
        for row in rows:
            self.stdout.write("| " + " | ".join(row) + " |")
        self.stdout.write("")

    def _verdict(self, runs: list[Run]) -> None:
        before, sweep, after = runs
        noop = (before.per_second + after.per_second) / 2
        ratio = sweep.per_second / noop
        verdict = "PASS" if ratio >= AIM else "MISS"
        self.stdout.write(
            f"- Aim: the sweep at least {AIM:g}x the no-op tasks' throughput: {verdict}: "
            f"{sweep.per_second:,.0f} against {noop:,.0f} tasks/s (mean of both no-op runs) = {ratio:.2f}x"
        )
