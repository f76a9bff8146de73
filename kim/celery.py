import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kim.settings")

app = Celery("kim")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Celery's Django fixup closes the database connection around every task unless told to reuse it; a
# fresh PostgreSQL connection per small task costs more than the task itself.
app.conf.update(CELERY_DB_REUSE_MAX=1000)
app.autodiscover_tasks()


@beat_init.connect
def _heartbeat_at_start(sender, **kwargs):
    """Beat sends its first heartbeat a minute after it starts; send one now, so that a fresh start does
    not show the stalled-jobs warning for that minute."""
    app.send_task("kim.tasks.record_heartbeat")
