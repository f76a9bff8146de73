"""The export engine's Celery tasks, with pinned names like the reminders' (kim.reminders.tasks), so that a
message queued before a deploy still finds its task after it."""

import logging
from functools import partial

from celery import current_app, shared_task
from django.conf import settings
from django.utils import timezone

from kim.downloads import building
from kim.downloads.models import ExportJob

logger = logging.getLogger(__name__)

RUN = "kim.tasks.run_export"
SWEEP = "kim.tasks.sweep_exports"


@shared_task(
    name=RUN,
    ignore_result=True,
    # Longer than the settings' default for small tasks: a national list or recap takes a while. The soft
    # limit leaves a minute to mark the job failed with its reason.
    time_limit=settings.EXPORT_TIME_LIMIT_SECONDS,
    soft_time_limit=max(30, settings.EXPORT_TIME_LIMIT_SECONDS - 60),
)
def run_export(job_id: int) -> str:
    return building.run(job_id)


@shared_task(name=SWEEP, ignore_result=True)
def sweep_exports() -> dict[str, int]:
    """Every minute (from the one beat): send what waits, give back what a dead worker left, expire files."""
    with current_app.producer_or_acquire() as producer:
        return building.sweep(partial(enqueue, producer=producer))


def enqueue(job_id: int, producer=None) -> bool:
    """Hand a job to the broker; False (and the job left waiting for the sweep) if the broker cannot take it.

    Whatever the broker raised is caught: the job row stands, and the page says it will start later."""
    try:
        run_export.apply_async((job_id,), producer=producer)
    except Exception as error:
        logger.warning("Export %s: not queued (%s); the sweep sends it later", job_id, error)
        return False
    ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(sent_at=timezone.now())
    return True
