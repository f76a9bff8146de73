"""The accounts room's Celery tasks. Their names are pinned, so that a message queued before a deploy still finds
its task after a move."""

from celery import shared_task

from kim.accounts import throttle


@shared_task(name="kim.accounts.tasks.prune_sign_in_records", ignore_result=True)
def prune_sign_in_records() -> int:
    """Daily from the beat: old sign-in attempts and failures go (idempotent: a second run finds nothing)."""
    return throttle.sign_in_records_prune()
