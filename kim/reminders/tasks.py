"""The reminder engine's Celery tasks. Their names are pinned to where they were first defined (kim/tasks.py),
so that a message queued before a deploy still finds its task after it."""

from functools import partial

from celery import current_app, shared_task
from django.utils import timezone

from kim.reminders import sending
from kim.reminders.models import Heartbeat


@shared_task(name="kim.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat() -> None:
    """Stamped by the beat every minute through a worker: if it grows old, one of them has stopped."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"beat_at": timezone.now()})


@shared_task(name="kim.tasks.sweep_reminders", ignore_result=True)
def sweep_reminders() -> int:
    """Every minute (from the one beat): queue one send per due reminder."""
    # One producer for all of the sweep's sends, rather than one taken from the pool for each.
    with current_app.producer_or_acquire() as producer:
        return sending.sweep(partial(_enqueue, producer=producer))


def _enqueue(reminder_id: int, attempt: int, producer=None) -> None:
    # The id names the attempt: the broker may deliver it twice, the claim lets only one through.
    send_reminder.apply_async((reminder_id,), task_id=f"reminder-{reminder_id}-{attempt}", producer=producer)


@shared_task(name="kim.tasks.send_reminder", ignore_result=True)
def send_reminder(reminder_id: int) -> str:
    return sending.send(reminder_id)
