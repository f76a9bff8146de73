"""On the embedded default of `make run` (kombu's file-system broker, no Redis): an export asked for from a list
is handed to the broker, a real worker builds it, and the "file ready" message reaches the inbox."""

from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection
from django.urls import reverse

from kim.celery import app
from kim.downloads.models import ExportJob
from kim.reminders.models import Reminder
from tests.conftest import wait_until
from tests.exporting import csv_rows, job_id_of, start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("english", "worker_closes_its_connection"),
]


@pytest.fixture
def worker_closes_its_connection() -> Iterator[None]:
    """The worker keeps its connections open for speed; here they would keep the test database busy."""

    def close(**kwargs):
        connection.close()

    task_postrun.connect(close, weak=False)
    yield
    task_postrun.disconnect(close)


@pytest.fixture
def file_system_broker(tmp_path) -> Iterator[None]:
    """The app's producers and worker on the file-system transport, in folders of the test's own."""
    folders = {name: tmp_path / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir()
    previous = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = "filesystem://"
    app.conf.broker_transport_options = {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
        "store_processed": False,
    }
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = previous
        app._pool = None
        app.amqp._producer_pool = None


def test_an_export_runs_on_the_file_system_broker_of_make_run(
    file_system_broker, client, staff, village, settings, reminder_rules
):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff)
    job_id = job_id_of(start(client, "villages", "csv"))
    assert ExportJob.objects.get(pk=job_id).sent_at is not None  # the broker took it
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"):
        wait_until(
            lambda: Reminder.objects.filter(trigger="export_ready", channel="inbox", state="sent").exists(),
            what=lambda: f"job {ExportJob.objects.get(pk=job_id).state}",
        )
    assert ExportJob.objects.get(pk=job_id).state == ExportJob.State.DONE
    rows = csv_rows(client.get(reverse("downloads:file", args=[job_id])))
    assert rows[1][1] == "Selakambang"
