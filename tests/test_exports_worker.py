"""Export jobs through a real Celery worker on a real Redis (issue 11): a worker killed in the middle of a job
leaves it neither lost nor "running" for ever (the sweep gives it back and another worker builds it, or it is
marked failed after its last attempt), and an export asked for while Redis is down is kept, said to be
waiting in plain words, and built once Redis is back.

The killed worker is a process of its own (tests/export_worker.py, killed with SIGKILL as the kernel's
out-of-memory killer or a power cut would); the other workers run in a thread of this process, as in
tests/test_reminders_worker.py. The sweep is the beat's task, run here when the test says.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from kim.downloads import building, registry, storage, tasks
from kim.downloads.models import ExportJob
from kim.reminders.models import Reminder
from tests.conftest import DEADLINE, wait_until
from tests.export_worker import SLOW, register
from tests.exporting import csv_rows, job_id_of, start
from tests.test_reminders_worker import Tasks, _on_db, _redis, broker_at, worker

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("english"),
]

State = ExportJob.State
BROKER_DB = 8  # the reminders' worker tests use 7


@pytest.fixture
def broker(redis_url) -> Iterator[str]:
    """A Redis database of these tests' own, emptied first; the app publishes there for the test."""
    url = _on_db(redis_url, BROKER_DB)
    with _redis(url) as client:
        client.flushdb()
    with broker_at(url):
        yield url


@pytest.fixture
def slow_kind() -> Iterator[str]:
    register()
    yield SLOW
    registry.unregister(SLOW)


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


@contextmanager
def worker_process(broker: str, **env: str) -> Iterator[subprocess.Popen]:
    """tests/export_worker.py on this test's database, broker and export folder; killed on the way out."""
    environment = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": broker,
        "EXPORT_ROOT": str(django_settings.EXPORT_ROOT),
        **env,
    }
    script = Path(django_settings.BASE_DIR) / "tests" / "export_worker.py"
    process = subprocess.Popen([sys.executable, str(script)], cwd=django_settings.BASE_DIR, env=environment)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(20)


def _job() -> ExportJob:
    return ExportJob.objects.get()


def _slow_job(owner) -> ExportJob:
    return ExportJob.objects.create(
        owner=owner,
        kind=SLOW,
        file_format="csv",
        params_key="slow",
        title="Baris lambat",
        filename="lambat",
        language="en",
    )


def test_a_job_whose_worker_is_killed_mid_build_is_given_back_and_built_once_by_another_worker(
    staff, slow_kind, broker, settings, reminder_rules
):
    job = _slow_job(staff)
    assert tasks.enqueue(job.pk)
    with worker_process(broker, SLOW_ROWS="3000", SLOW_DELAY="0.002") as process:
        # Killed once it has written 500 rows or more, its file half-written.
        wait_until(
            lambda: _job().rows_done >= 500, what=lambda: f"job {_job().state}, {_job().rows_done} rows"
        )
        os.kill(process.pid, signal.SIGKILL)
        process.wait(20)
    killed = _job()
    assert (killed.state, killed.attempts) == (State.RUNNING, 1)
    assert 0 < killed.progress < 100

    # The beat's sweep, once the heartbeat is older than the stuck delay: given back, sent again.
    settings.EXPORT_STUCK_AFTER_SECONDS = 1
    wait_until(lambda: dt.datetime.now(dt.UTC) > killed.heartbeat_at + dt.timedelta(seconds=1.2))
    assert building.sweep(tasks.enqueue)["given_back"] == 1
    assert _job().state == State.QUEUED

    with worker_process(broker, SLOW_ROWS="3000", SLOW_DELAY="0"):
        wait_until(lambda: _job().state == State.DONE, what=lambda: f"job {_job().state}", timeout=DEADLINE)
    done = _job()
    assert (done.attempts, done.rows_done, done.progress) == (2, 3000, 100)
    lines = storage.exports().open(done.file, "rb").read().decode("utf-8-sig").splitlines()
    assert len(lines) == 3001 and lines[-1] == "3000,baris 3000"
    # Only the finished file is kept: the killed build's half-written one was never renamed into place.
    files = [path for path in Path(django_settings.EXPORT_ROOT).rglob("*") if path.is_file()]
    assert [path.name for path in files if not path.name.endswith(".part")] == [Path(done.file).name]
    assert (
        Reminder.objects.filter(trigger="export_ready", subject=f"export:{done.pk}", channel="inbox").count()
        == 1
    )


def test_a_job_killed_on_its_last_attempt_is_shown_failed_with_the_reason_never_left_running(
    staff, slow_kind, broker, settings, client
):
    settings.EXPORT_MAX_ATTEMPTS = 1
    job = _slow_job(staff)
    assert tasks.enqueue(job.pk)
    with worker_process(broker, SLOW_ROWS="100000", SLOW_DELAY="0.001") as process:
        wait_until(lambda: _job().rows_done >= 500, what=lambda: f"job {_job().state}")
        os.kill(process.pid, signal.SIGKILL)
        process.wait(20)
    settings.EXPORT_STUCK_AFTER_SECONDS = 1
    wait_until(lambda: dt.datetime.now(dt.UTC) > _job().heartbeat_at + dt.timedelta(seconds=1.2))
    assert building.sweep(tasks.enqueue)["failed"] == 1
    failed = _job()
    assert failed.state == State.FAILED
    client.force_login(staff)
    page = client.get(reverse("downloads:job", args=[job.pk])).content.decode()
    assert "The background service stopped 1 times while building this file" in page
    assert reverse("downloads:retry", args=[job.pk]) in page


def test_an_export_asked_for_while_redis_is_down_is_kept_said_to_wait_and_built_once_redis_is_back(
    private_redis, staff, client, settings, reminder_rules
):
    settings.KIM_REGENCY_CODE = "33.03"
    url, redis_running = private_redis
    recorder = Tasks()
    from celery.signals import task_postrun

    task_postrun.connect(recorder.on_postrun, weak=False)
    try:
        with broker_at(url):
            redis_running(False)
            client.force_login(staff)
            asked = time.monotonic()
            response = start(client, "villages", "csv")
            assert time.monotonic() - asked < 10  # the page answers, it does not hang on the broker
            job_id = job_id_of(response)
            job = ExportJob.objects.get(pk=job_id)
            assert (job.state, job.sent_at) == (State.QUEUED, None)
            page = client.get(response["Location"]).content.decode()
            assert "background service is not running right now" in page
            assert client.get(reverse("downloads:status", args=[job_id])).json()["waits_for_service"] is True

            # Asked again while it waits: the same job, nothing more.
            assert job_id_of(start(client, "villages", "csv")) == job_id

            redis_running(True)
            assert building.sweep(tasks.enqueue)["sent"] == 1  # the beat's next sweep
            with worker():
                wait_until(
                    lambda: ExportJob.objects.get(pk=job_id).state == State.DONE,
                    what=lambda: ExportJob.objects.get(pk=job_id).state,
                )
                # The sweep the finish asked for puts "file ready" in the inbox.
                wait_until(
                    lambda: Reminder.objects.filter(
                        trigger="export_ready", state="sent", channel="inbox"
                    ).exists(),
                    what=lambda: str(list(Reminder.objects.values_list("trigger", "state", "channel"))),
                )
    finally:
        task_postrun.disconnect(recorder.on_postrun)
    done = ExportJob.objects.get(pk=job_id)
    assert done.attempts == 1
    assert [args for args, _ in recorder.results(tasks.RUN)] == [(job_id,)]
    response = client.get(reverse("downloads:file", args=[job_id]))
    assert csv_rows(response)[0][0] == "Code"
    message = Reminder.objects.get(trigger="export_ready", channel="inbox")
    assert message.user == staff and message.url.endswith(reverse("downloads:job", args=[job_id]))
