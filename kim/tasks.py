from celery import shared_task
from django.utils import timezone

from kim.models import Heartbeat


@shared_task(ignore_result=True)
def record_heartbeat() -> None:
    """Stamped by the beat every minute through a worker: if it grows old, one of them has stopped."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"beat_at": timezone.now()})
