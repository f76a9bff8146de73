"""Tasks for `manage.py bench_reminders` only: the yardstick the reminder sweep is compared with.

`fan_out` has the shape of the sweep (one task that publishes one task per item, then the items run) with
nothing in between: no database, no work. A worker knows these tasks only when started with
`-I kim.management.bench_tasks`; the app's autodiscovery never imports this module.
"""

import time

import redis
from celery import shared_task

from kim.celery import app


@shared_task(ignore_result=True)
def noop() -> None:
    return None


@shared_task(ignore_result=True)
def stamp(key: str) -> None:
    """Write the time this task ran under `key` on the broker: queued last, it says when the others ended."""
    with redis.Redis.from_url(app.conf.broker_url) as client:
        client.set(key, repr(time.time()))


@shared_task(ignore_result=True)
def fan_out(count: int, done_key: str) -> None:
    # Published as the sweep publishes its sends: through one producer, each with its own task id.
    with app.producer_or_acquire() as producer:
        for number in range(count):
            noop.apply_async(task_id=f"noop-{done_key}-{number}", producer=producer)
    stamp.apply_async((done_key,))
