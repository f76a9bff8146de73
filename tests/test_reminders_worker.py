"""Reminders through a real Celery worker on a real Redis: every due message goes out once, whatever the broker
and the beat do (issue 5).

The worker runs in a thread of this process (two threads in its pool, so that two tasks really run at once),
on Redis database 7, flushed before each test; the beats of one test are real `celery beat` processes, and
the broker of another a private redis-server that the test stops and starts. The sweep and the sends run as
in production: the same tasks, the same broker, the same settings (acks late, prefetch 1). Each test waits,
against a deadline, until every task published has finished, then checks the outbox rows, which send call
won each row (the task's return value), and the locmem mail outbox.
"""

import datetime as dt
import os
import smtplib
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from celery.beat import PersistentScheduler
from celery.contrib.testing.worker import start_worker
from celery.signals import after_task_publish, task_postrun
from django.conf import settings
from django.core import mail
from django.db import connection
from kombu.exceptions import OperationalError

from kim.celery import app
from kim.reminders import sending, tasks
from kim.reminders.models import Reminder
from outreach.directory.models import ResourcePerson, Topic
from outreach.sessions import services
from outreach.sessions.models import Session
from tests.conftest import DEADLINE, wait_until

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reminder_rules"),
]

State = Reminder.State
BROKER_DB = 7
SWEEP = tasks.sweep_reminders.name
SEND = tasks.send_reminder.name


# The broker and the worker


def _on_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


def _use_broker(url: str) -> None:
    """Point the app (producers and any worker started later) at another broker.

    Its pools are only forgotten, not closed: kombu keeps one pool per broker URL for the process and hands
    the same one out again, so a closed pool would break the next test on that URL."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    previous = app.conf.broker_url
    _use_broker(url)
    try:
        yield
    finally:
        _use_broker(previous)


@pytest.fixture
def broker_url(redis_url) -> Iterator[str]:
    """A Redis database of these tests' own, emptied first; the app publishes there for the test."""
    url = _on_db(redis_url, BROKER_DB)
    with _redis(url) as client:
        client.flushdb()
    with broker_at(url):
        yield url


@dataclass(frozen=True)
class Finished:
    task: str
    args: tuple
    retval: object
    origin: str  # the process that published it ("gen<pid>@host")


class Tasks:
    """What was published in this process (the test thread and the worker's threads), and what the worker
    finished, whoever published it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.published: Counter[str] = Counter()
        self.finished: list[Finished] = []

    def on_publish(self, sender=None, **kwargs) -> None:
        with self.lock:
            self.published[sender] += 1

    def on_postrun(self, task=None, args=None, retval=None, **kwargs) -> None:
        # The app keeps worker connections open for speed; here they would keep the test database busy.
        connection.close()
        with self.lock:
            self.finished.append(Finished(task.name, tuple(args or ()), retval, task.request.origin or ""))

    def reset(self) -> None:
        with self.lock:
            self.published.clear()
            self.finished.clear()

    def results(self, name: str) -> list[tuple[tuple, object]]:
        return [(done.args, done.retval) for done in self.of(name)]

    def of(self, name: str) -> list[Finished]:
        with self.lock:
            return [done for done in self.finished if done.task == name]

    def sent_ids(self) -> list[int]:
        return [args[0] for args, retval in self.results(SEND) if retval == "sent"]

    def idle(self) -> bool:
        """Every task published here has run (a sweep publishes its sends before it finishes)."""
        with self.lock:
            done = Counter(done.task for done in self.finished)
            return all(done[task] >= count for task, count in self.published.items())

    def wait_idle(self, also: Callable[[], bool] = lambda: True) -> None:
        wait_until(
            lambda: self.idle() and also(), what=lambda: f"published {self.published}, done {self.finished}"
        )


@pytest.fixture
def celery_tasks() -> Iterator[Tasks]:
    recorder = Tasks()
    after_task_publish.connect(recorder.on_publish, weak=False)
    task_postrun.connect(recorder.on_postrun, weak=False)
    yield recorder
    after_task_publish.disconnect(recorder.on_publish)
    task_postrun.disconnect(recorder.on_postrun)


@contextmanager
def worker() -> Iterator[None]:
    """A worker with two threads, so that two sweeps (or two deliveries of one send) can run at once."""
    with start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING"
    ):
        yield


def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=0.5)


def queue_length(url: str) -> int:
    with _redis(url) as client:
        return client.llen(app.conf.task_default_queue)


# The data: sessions with seven people to tell, cancelled so that a notice is due now for each


@pytest.fixture
def propose(officer, agency, kim_with_ketua, head) -> Callable[[str], Session]:
    """A session ten days ahead for the officer, a resource person, the ketua and the village head."""
    speaker = ResourcePerson.objects.create(
        agency=agency, name="dr. Ani", email="ani@example.com", phone="+6281111111111"
    )
    topic = Topic.objects.create(name="Penanggulangan stunting")

    def make(title: str) -> Session:
        starts = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
        return services.session_propose(
            actor=officer,
            agency=agency,
            kim=kim_with_ketua,
            title=title,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            venue="Balai Desa",
            topic=topic,
            resource_persons=[speaker],
        )

    return make


@pytest.fixture
def cancel(officer) -> Callable[[Session], None]:
    def call_off(session: Session) -> None:
        assert services.session_cancel(session=session, actor=officer, reason="Hujan deras")

    return call_off


@pytest.fixture
def cancelled(propose, cancel, broker_url, celery_tasks) -> list[int]:
    """Three cancelled sessions: 21 notices due now (9 of them emails); the sweeps their saves asked for are
    dropped, so that each test decides which sweeps run."""
    for number in range(3):
        cancel(propose(f"Sesi {number}"))
    with _redis(broker_url) as client:
        client.flushdb()
    celery_tasks.reset()
    return due_ids()


def due_ids() -> list[int]:
    ids = list(
        Reminder.objects.filter(trigger="session_changed", state=State.PLANNED).values_list("pk", flat=True)
    )
    assert ids
    return ids


def assert_each_sent_once(ids: list[int], celery_tasks: Tasks) -> None:
    """Every row sent, by exactly one send call, and one email for each email row (and no other email)."""
    rows = list(Reminder.objects.filter(pk__in=ids))
    assert len(rows) == len(ids)
    assert Counter(row.state for row in rows) == {State.SENT: len(ids)}
    assert sorted(celery_tasks.sent_ids()) == sorted(ids)
    emails = sorted((row.address, row.title) for row in rows if row.channel == "email")
    assert emails and sorted((message.to[0], message.subject) for message in mail.outbox) == emails


# a. Two sweeps at the same moment


def test_two_sweeps_at_the_same_moment_send_each_reminder_once(cancelled, celery_tasks, broker_url):
    # Both are waiting before the worker starts, so its two threads take one each at once.
    tasks.sweep_reminders.delay()
    tasks.sweep_reminders.delay()
    with worker():
        celery_tasks.wait_idle()
    assert queue_length(broker_url) == 0
    sweeps = celery_tasks.results(SWEEP)
    assert len(sweeps) == 2
    assert sum(queued for _, queued in sweeps) == len(cancelled)  # each row queued by one sweep only
    assert_each_sent_once(cancelled, celery_tasks)


# b. Two beats


def test_two_beats_sweeping_at_the_same_moment_while_sessions_change_send_each_reminder_once(
    propose, cancel, celery_tasks, broker_url
):
    """Two beat processes each hold their own broker connection and publish the sweep on every tick: here two
    threads, each with a connection of its own, publish at the same instant (a barrier), five ticks in a row,
    while the worker runs and more sessions are cancelled between ticks (each save also asks for a sweep)."""
    sessions = [propose(f"Sesi {number}") for number in range(5)]
    tick = threading.Barrier(3)  # the two beats and the test thread

    def beat() -> None:
        with app.connection_for_write() as conn, conn.Producer() as producer:
            for _ in sessions:
                tick.wait(timeout=DEADLINE)
                tasks.sweep_reminders.apply_async(producer=producer)

    with worker():
        beats = [threading.Thread(target=beat) for _ in range(2)]
        for thread in beats:
            thread.start()
        for session in sessions:
            cancel(session)
            tick.wait(timeout=DEADLINE)
        for thread in beats:
            thread.join(DEADLINE)
        celery_tasks.wait_idle()
    assert queue_length(broker_url) == 0
    ids = notice_ids()
    assert len(ids) == 5 * 7
    sweeps = celery_tasks.results(SWEEP)
    assert len(sweeps) == 2 * 5 + 5  # two beats' ticks and one per save
    assert sum(queued for _, queued in sweeps) == len(ids)
    assert_each_sent_once(ids, celery_tasks)


def overdue_schedule(path: Path) -> Path:
    """A beat schedule file (the settings' schedule) whose entries last ran long ago: a beat started on it sends
    the overdue sweep on its first tick, as every beat does a minute after the previous sweep."""
    scheduler = PersistentScheduler(app=app, schedule_filename=str(path))
    for entry in scheduler.schedule.values():
        entry.last_run_at = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    scheduler.sync()
    scheduler.close()
    return path


@contextmanager
def beats(broker_url: str, schedules: list[Path]) -> Iterator[list[subprocess.Popen]]:
    """`celery -A kim beat` processes, one per schedule file, started together; stopped on the way out."""
    env = {**os.environ, "DJANGO_ENV": "test", "REDIS_URL": broker_url}
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "kim",
        "beat",
        "--loglevel",
        "WARNING",
        "--max-interval",
        "1",
    ]
    started = [
        subprocess.Popen([*command, "--schedule", str(schedule)], cwd=settings.BASE_DIR, env=env)
        for schedule in schedules
    ]
    try:
        yield started
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(10)


def test_two_real_beat_processes_firing_together_send_each_reminder_once(
    cancelled, celery_tasks, broker_url, tmp_path
):
    """Two `celery beat` processes on the settings' schedule, each started on a schedule file whose last sweep
    is long past, so that both send the sweep on their first tick, about a second after they start."""
    schedules = [overdue_schedule(tmp_path / f"beat-{number}") for number in range(2)]
    with worker():
        with beats(broker_url, schedules) as processes:
            origins = {f"gen{process.pid}@" for process in processes}

            def both_beats_swept() -> bool:
                return {done.origin.partition("@")[0] + "@" for done in celery_tasks.of(SWEEP)} >= origins

            celery_tasks.wait_idle(also=both_beats_swept)
        # What else the beats sent (their heartbeats) runs too, so that nothing is left in the queue.
        wait_until(lambda: queue_length(broker_url) == 0, what=lambda: "the beats' other tasks")
    assert queue_length(broker_url) == 0
    assert sum(queued for _, queued in celery_tasks.results(SWEEP)) == len(cancelled)
    assert_each_sent_once(cancelled, celery_tasks)


def notice_ids() -> list[int]:
    return list(Reminder.objects.filter(trigger="session_changed").values_list("pk", flat=True))


# c. The same send delivered twice


def test_the_same_send_task_delivered_twice_sends_once(cancelled, celery_tasks, broker_url):
    """The sweep publishes each send twice, with the same task id (what a broker redelivery looks like)."""

    def enqueue_twice(reminder_id: int, attempt: int) -> None:
        tasks._enqueue(reminder_id, attempt)
        tasks._enqueue(reminder_id, attempt)

    assert sending.sweep(enqueue_twice) == len(cancelled)
    assert queue_length(broker_url) == 2 * len(cancelled)
    with worker():
        celery_tasks.wait_idle()
    outcomes = Counter(retval for _, retval in celery_tasks.results(SEND))
    assert outcomes == {"sent": len(cancelled), "not claimed": len(cancelled)}
    assert_each_sent_once(cancelled, celery_tasks)


# d. Redis stopped during a save


@pytest.fixture
def private_broker(private_redis) -> Iterator[Callable[[bool], None]]:
    """A Redis of the test's own with the app's broker pointed at it: a switch to stop (False) and start
    (True) it."""
    url, running = private_redis
    with broker_at(url):
        yield running


def test_a_save_while_redis_is_down_stands_and_its_notice_goes_out_once_redis_is_back(
    redis_url, private_broker, propose, cancel, celery_tasks, caplog
):
    session = propose("Sesi saat Redis mati")
    private_broker(False)
    started = time.monotonic()
    cancel(session)  # the service's transaction commits; the sweep it asks for after the commit fails
    assert time.monotonic() - started < 10
    assert Session.objects.get(pk=session.pk).state == Session.State.CANCELLED
    ids = due_ids()
    assert len(ids) == 7
    # The request for a sweep failed after the commit, and was only logged (robust=True).
    failures = [record for record in caplog.records if "on_commit()" in record.getMessage()]
    assert [type(record.exc_info[1]) for record in failures if record.exc_info] == [OperationalError]
    assert celery_tasks.published == {}
    private_broker(True)
    tasks.sweep_reminders.delay()  # the beat's next sweep
    with worker():
        celery_tasks.wait_idle()
    assert_each_sent_once(ids, celery_tasks)


# e. A worker that dies mid-send


def test_a_row_left_sending_by_a_dead_worker_is_given_back_after_the_stuck_delay_and_sent_once(
    cancelled, celery_tasks, settings, broker_url
):
    dead = Reminder.objects.filter(pk__in=cancelled, channel="email").first()
    Reminder.objects.filter(pk=dead.pk).update(state=State.QUEUED, claimed_at=dt.datetime.now(dt.UTC))
    assert sending.claim(dead.pk)  # a sweep queued it, a worker claimed it and died before sending
    tasks._enqueue(dead.pk, 1)  # its message, redelivered once the broker notices (acks late)
    settings.REMINDER_STUCK_AFTER_SECONDS = 60
    with worker():
        tasks.sweep_reminders.delay()
        celery_tasks.wait_idle()
        dead.refresh_from_db()
        assert dead.state == State.SENDING  # too soon to be called stuck: it may still be on its way
        assert Reminder.objects.filter(pk__in=cancelled, state=State.SENT).count() == len(cancelled) - 1
        assert ((dead.pk,), "not claimed") in celery_tasks.results(SEND)

        settings.REMINDER_STUCK_AFTER_SECONDS = 1
        wait_until(lambda: dt.datetime.now(dt.UTC) > dead.claimed_at + dt.timedelta(seconds=1.1))
        tasks.sweep_reminders.delay()
        celery_tasks.wait_idle()
    dead.refresh_from_db()
    assert dead.attempts == 2  # the dead worker's claim, and this one
    assert [queued for _, queued in celery_tasks.results(SWEEP)] == [len(cancelled) - 1, 1]
    assert_each_sent_once(cancelled, celery_tasks)


def test_a_send_delivered_again_while_its_row_waits_for_a_retry_does_not_retry_early(
    cancelled, celery_tasks, monkeypatch
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(mail, "send_mail", refuse)
    row = Reminder.objects.filter(pk__in=cancelled, channel="email").first()
    with worker():
        tasks.sweep_reminders.delay()
        celery_tasks.wait_idle()
        row.refresh_from_db()
        assert (row.state, row.attempts) == (State.PLANNED, 1)
        assert row.next_attempt_at > dt.datetime.now(dt.UTC)  # retried in a minute
        tasks._enqueue(row.pk, 1)  # the same message, delivered again by the broker
        celery_tasks.wait_idle()
    assert celery_tasks.results(SEND)[-1] == ((row.pk,), "not claimed")
    row.refresh_from_db()
    assert row.attempts == 1
