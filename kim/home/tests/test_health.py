"""/sehat/ reports the database, Redis and the beat each on its own; 503 only when the database is down."""

import datetime as dt
import socket
import time

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from kim.home import views
from kim.reminders.models import Heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def nothing_listening() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def fresh_beat():
    Heartbeat.objects.create(name="beat", beat_at=timezone.now())


def test_everything_up_is_ok(client, settings, fresh_beat, monkeypatch):
    settings.REDIS_URL = "redis://redis.example:6379/0"
    monkeypatch.setattr(views, "redis_answers", lambda url, timeout: True)
    response = client.get(reverse("home:health"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "beat": "ok",
        "beat_age_seconds": 0,
    }


def test_redis_down_is_degraded_with_200_and_answers_within_the_redis_timeout(
    client, settings, fresh_beat, nothing_listening
):
    settings.REDIS_URL = nothing_listening
    started = time.monotonic()
    response = client.get(reverse("home:health"))
    assert time.monotonic() - started < 2
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["redis"] == "unavailable"
    assert response.json()["beat"] == "ok"


def test_a_stale_beat_is_degraded_with_200(client, settings):
    settings.REDIS_URL = ""
    Heartbeat.objects.create(name="beat", beat_at=timezone.now() - dt.timedelta(minutes=10))
    data = client.get(reverse("home:health")).json()
    assert (data["status"], data["redis"], data["beat"], data["beat_age_seconds"]) == (
        "degraded",
        "not used",
        "stale",
        600,
    )


def test_the_database_down_is_503_and_still_says_how_redis_is(
    client, settings, nothing_listening, monkeypatch
):
    settings.REDIS_URL = nothing_listening

    class DeadConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", DeadConnection())
    response = client.get(reverse("home:health"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "unavailable",
        "redis": "unavailable",
        "beat": "unknown",
    }


def test_the_health_check_is_never_cached(client):
    assert "no-cache" in client.get(reverse("home:health"))["Cache-Control"]


def test_the_health_check_refuses_a_post(client):
    assert client.post(reverse("home:health")).status_code == 405
