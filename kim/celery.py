import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kim.settings")

app = Celery("kim")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Celery's Django fixup closes the database connection around every task unless told to reuse it; a
# fresh PostgreSQL connection per small task costs more than the task itself.
app.conf.update(CELERY_DB_REUSE_MAX=1000)
# Feature rooms keep their tasks in their own package rather than in an app's top-level tasks module.
app.autodiscover_tasks(lambda: ["kim.reminders", "kim.accounts", "kim.downloads"])


@beat_init.connect
def _heartbeat_at_start(sender, **kwargs):
    """Beat runs its schedule first a minute after it starts; run the heartbeat and the reminder sweep (whose
    stamp the staff pages' warning reads) now, so that a fresh start shows no warning for that minute."""
    app.send_task("kim.tasks.record_heartbeat")
    app.send_task("kim.tasks.sweep_reminders")
    # Exports asked for while the background service was down start now, not a minute later.
    app.send_task("kim.tasks.sweep_exports")
