"""With the production settings and Redis stopped, the app keeps working: every page answers as the permission
matrix says (no 500), people sign in, every kind of save stands, and /sehat/ says Redis is down; once Redis
is back, the notices the saves called for go out once (issue 10).

The settings are production's, read from kim/settings.py with DJANGO_ENV=production, and everything that
touches Redis is kept exactly as production has it (sessions, the cache, the broker); only what a test run
cannot have is kept from the test settings (its database, installed apps, mail outbox, media folder, and
static files served from their sources, as production's need collectstatic). Requests come as if through the HTTPS proxy, so
production's SSL redirect and secure cookies stay on. Redis is a redis-server of this test's own, stopped
mid-run; the sends after it is back run on a real Celery worker, as in tests/test_reminders_worker.py.
"""

import datetime as dt
import importlib.util
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from axes.models import AccessAttempt
from celery.signals import after_task_publish, task_postrun
from django.conf import settings
from django.core import mail
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from kim.celery import app
from kim.downloads.models import ExportJob
from kim.lib.cache import FailOpenRedisCache
from kim.register.models import Member
from kim.reminders import tasks
from kim.reminders.models import Reminder
from outreach.directory.models import Topic
from outreach.sessions.models import Session
from tests.test_permissions import PAGES, objects  # noqa: F401 (the matrix's scene, a fixture)
from tests.test_reminders_worker import Tasks, worker
from villages.models import Village

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PASSWORD = "sandi-rahasia-123"  # tests.factories.UserFactory's
# A test run has its own of these; none of them touches Redis.
KEPT_FROM_TESTS = {
    "DATABASES",
    "EXPORT_ROOT",
    "INSTALLED_APPS",
    "LOGGING",
    "MAILERS",
    "MEDIA_ROOT",
    "STORAGES",
    "WHITENOISE_AUTOREFRESH",
    "WHITENOISE_USE_FINDERS",
}
HTTPS = {"X-Forwarded-Proto": "https"}  # what production's proxy adds (SECURE_PROXY_SSL_HEADER)


def production_settings(redis_url: str) -> dict:
    """kim/settings.py as production reads it, for a deployment whose Redis is at `redis_url`."""
    environment = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "fault-test-" + "k" * 50,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "postgres://kim@127.0.0.1:5432/kim",
        "REDIS_URL": redis_url,
        "EMAIL_URL": "smtp://mail.example:587",
        "SITE_URL": "https://kim.example",
    }
    spec = importlib.util.spec_from_file_location(
        "kim_production_settings", settings.BASE_DIR / "kim/settings.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, environment):
        spec.loader.exec_module(module)
    return {
        name: getattr(module, name) for name in dir(module) if name.isupper() and name not in KEPT_FROM_TESTS
    }


@contextmanager
def celery_on(production: dict) -> Iterator[None]:
    """The app's producers (and a worker started later) on production's broker settings.

    Its pools are only forgotten, not closed, as in tests/test_reminders_worker.py."""
    previous = app.conf.broker_url, app.conf.broker_transport_options

    def use(url, options):
        app.conf.broker_url, app.conf.broker_transport_options = url, options
        app._pool = None
        app.amqp._producer_pool = None

    use(production["CELERY_BROKER_URL"], production["CELERY_BROKER_TRANSPORT_OPTIONS"])
    try:
        yield
    finally:
        use(*previous)


@pytest.fixture
def celery_tasks() -> Iterator[Tasks]:
    recorder = Tasks()
    after_task_publish.connect(recorder.on_publish, weak=False)
    task_postrun.connect(recorder.on_postrun, weak=False)
    yield recorder
    after_task_publish.disconnect(recorder.on_publish)
    task_postrun.disconnect(recorder.on_postrun)


def signed_in(user) -> Client:
    """A browser that signs in through the sign-in form, as people do."""
    client = Client(headers=HTTPS)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, f"{user.username} could not sign in"
    return client


def assert_pages_answer_as_the_matrix_says(client: Client, persona: str, scene: dict) -> None:
    for page, method, url, expected in PAGES:
        if method != "get":
            continue
        response = client.get(url(scene))
        assert response.status_code == expected[persona], f"{persona} on {page}"


def test_with_redis_stopped_every_page_serves_every_save_stands_and_the_notices_go_out_once_it_is_back(
    private_redis, celery_tasks, reminder_rules, caplog, request
):
    scene = request.getfixturevalue("objects")  # the permission matrix's people and pages
    redis_url, redis_running = private_redis
    production = production_settings(redis_url)
    assert production["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert production["CACHES"]["default"]["LOCATION"] == redis_url
    assert production["CELERY_BROKER_URL"] == redis_url
    people = scene["personas"]
    with override_settings(**production), celery_on(production):
        cache = caches["default"]
        assert isinstance(cache, FailOpenRedisCache)
        cache.set("warm", "yes")
        assert cache.get("warm") == "yes"  # the cache really is this Redis
        staff = signed_in(people["staff"])  # before the outage

        redis_running(False)

        health = Client(headers=HTTPS).get(reverse("home:health"))
        assert health.status_code == 200
        assert health.json() | {"beat_age_seconds": None} == {
            "status": "degraded",
            "database": "ok",
            "redis": "unavailable",
            "beat": "missing",
            "beat_age_seconds": None,
        }
        assert cache.get("warm") is None
        # Signing in (and django-axes counting a wrong password) needs only the database.
        refused = Client(headers=HTTPS).post(reverse("login"), {"username": "kades", "password": "salah"})
        assert refused.status_code == 200
        assert AccessAttempt.objects.filter(username="kades", failures_since_start=1).exists()
        clients = {
            "staff": staff,
            "head": signed_in(people["head"]),
            "officer": signed_in(people["officer"]),
            "leader": signed_in(people["leader"]),
        }
        for persona, client in clients.items():
            assert_pages_answer_as_the_matrix_says(client, persona, scene)
        recap = clients["leader"].post(
            reverse("downloads:start", args=["recap", "xlsx"]) + "?year=2019", follow=True
        )
        assert recap.status_code == 200
        assert "tidak ada yang hilang" in recap.content.decode()  # the page says the export waits, kept
        asked = ExportJob.objects.get(owner=people["leader"], kind="recap")
        assert asked.state == ExportJob.State.QUEUED and asked.sent_at is None  # kept, for the sweep to send

        started = time.monotonic()
        cancelled = saves_of_each_kind(clients, scene)
        assert time.monotonic() - started < 15  # each save waits at most on a refused connection
        due = list(
            Reminder.objects.filter(
                subject=f"session:{cancelled.pk}", state=Reminder.State.PLANNED, due_at__lte=timezone.now()
            ).values_list("pk", flat=True)
        )
        assert due  # the cancellation's notices, waiting in the outbox
        assert celery_tasks.published == {}
        failed = [r for r in caplog.records if "on_commit()" in r.getMessage()]
        assert failed, "the sweep asked for after the cancellation could not be sent, and was only logged"
        assert clients["staff"].get(reverse("home:index")).status_code == 200  # still signed in

        redis_running(True)

        assert Client(headers=HTTPS).get(reverse("home:health")).json()["redis"] == "ok"
        tasks.sweep_reminders.delay()  # the beat's next sweep
        with worker():
            celery_tasks.wait_idle()
            tasks.sweep_reminders.delay()  # and the one after: nothing is left to send
            celery_tasks.wait_idle()
    rows = list(Reminder.objects.filter(pk__in=due))
    assert {row.state for row in rows} == {Reminder.State.SENT}
    assert sorted(celery_tasks.sent_ids()) == sorted(due)  # each sent by exactly one task
    emails = sorted((row.address, row.title) for row in rows if row.channel == "email")
    assert emails and sorted((m.to[0], m.subject) for m in mail.outbox) == emails


def saves_of_each_kind(clients: dict[str, Client], scene: dict) -> Session:
    """As each role, a save of each kind, with Redis down; returns the session the officer cancelled."""
    village, kim = scene["village"], scene["kim"]
    head = clients["head"].post(
        reverse("villages:contacts_edit", args=[village.pk]),
        {"head_name": "Bapak Sutrisno", "head_phone": "0812-3456-7890", "office_address": "Jl. Raya"},
    )
    assert head.status_code == 302
    assert Village.objects.get(pk=village.pk).head_name == "Bapak Sutrisno"

    member = scene["member"]
    staff = clients["staff"].post(
        reverse("register:member_edit", args=[kim.pk, member.pk]),
        {"name": "Siti Aminah", "position": "anggota", "gender": "P"},
    )
    assert staff.status_code == 302
    assert Member.objects.get(pk=member.pk).name == "Siti Aminah"

    starts = timezone.localtime() + dt.timedelta(days=10)
    proposal = {
        "kim": kim.pk,
        "topic": Topic.objects.create(name="Literasi digital").pk,
        "title": "Sosialisasi saat Redis mati",
        "starts_at": f"{starts:%Y-%m-%dT09:00}",
        "ends_at": f"{starts:%Y-%m-%dT11:00}",
        "venue": "Balai Desa Selakambang",
        "expected_audience": "40",
    }
    officer = clients["officer"].post(reverse("outreach:session_create"), proposal)
    assert officer.status_code == 302, officer.context and officer.context["form"].errors
    session = Session.objects.get(title="Sosialisasi saat Redis mati")
    assert Reminder.objects.filter(subject=f"session:{session.pk}").exists()  # H-3 and H-1, planned

    cancel = clients["officer"].post(
        reverse("outreach:session_cancel", args=[session.pk]), {"reason": "Banjir"}
    )
    assert cancel.status_code == 302
    session.refresh_from_db()
    assert session.state == Session.State.CANCELLED
    return session
