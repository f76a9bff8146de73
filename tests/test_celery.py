"""The beat's heartbeat task, run by a real Celery worker on the real broker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection
from django.urls import reverse

from kim.celery import app
from kim.reminders.models import Heartbeat
from kim.reminders.tasks import record_heartbeat


@pytest.fixture
def worker_closes_its_connection():
    """The app keeps worker connections open for speed; in tests that would keep the test database busy."""

    def close(**kwargs):
        connection.close()

    task_postrun.connect(close, weak=False)
    yield
    task_postrun.disconnect(close)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_closes_its_connection")
def test_a_real_worker_stamps_the_heartbeat_that_the_health_check_reports(redis_url, client):
    assert app.conf.broker_url.startswith("redis://")
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        record_heartbeat.delay()
        deadline = time.monotonic() + 20
        while not Heartbeat.objects.filter(name="beat").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    assert Heartbeat.objects.filter(name="beat").exists()
    assert client.get(reverse("home:health")).json()["beat"] == "ok"


def test_the_beat_schedule_runs_the_heartbeat_every_minute():
    entry = app.conf.beat_schedule["heartbeat"]
    assert entry["task"] == "kim.tasks.record_heartbeat"
    assert entry["schedule"] == 60.0
