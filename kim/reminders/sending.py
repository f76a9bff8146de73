"""Sending: the sweep queues due rows, and each send claims its row before it sends.

A row moves planned → queued (by one sweep, under a row lock that a second sweep skips) → sending (claimed
by exactly one task: an UPDATE that only one transaction can win) → sent or failed; or back to planned, for
a retry after a transient error or when a worker died holding it. A task delivered twice, two sweeps at the
same moment or two beats therefore send each message once.
"""

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from kim.models import Heartbeat
from kim.models.reminders import Reminder
from kim.reminders import planning, triggers
from kim.reminders.channels import CHANNELS, PermanentFailure
from kim.reminders.messages import compose

logger = logging.getLogger(__name__)

SWEEP_HEARTBEAT = "reminder_sweep"
SWEEP_BATCH = 1000


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes after each failed attempt, at most an hour."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def sweep(enqueue: Callable[[int, int], None]) -> int:
    """Queue every due row once (`enqueue(row id, attempt)` sends the task); return how many were queued.

    Rows left queued or sending for longer than REMINDER_STUCK_AFTER (a lost message, a worker that died
    mid-send) are given back first, so that nothing is lost."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=SWEEP_HEARTBEAT, defaults={"beat_at": now})
    stuck = now - dt.timedelta(seconds=settings.REMINDER_STUCK_AFTER_SECONDS)
    held = [Reminder.State.QUEUED, Reminder.State.SENDING]
    Reminder.objects.filter(state__in=held, claimed_at__lt=stuck).update(
        state=Reminder.State.PLANNED, claimed_at=None
    )
    with transaction.atomic():
        planning.plan_subjects("digest", [0])
    queued = 0
    while True:
        with transaction.atomic():
            due = (
                Reminder.objects.select_for_update(skip_locked=True)
                .filter(state=Reminder.State.PLANNED, due_at__lte=now)
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                .order_by("due_at", "id")
                .values_list("id", "attempts")[:SWEEP_BATCH]
            )
            batch = list(due)
            Reminder.objects.filter(id__in=[pk for pk, _ in batch]).update(
                state=Reminder.State.QUEUED, claimed_at=now
            )
        for pk, attempts in batch:
            enqueue(pk, attempts + 1)
        queued += len(batch)
        if len(batch) < SWEEP_BATCH:
            return queued


def claim(reminder_id: int) -> bool:
    """Take the row for this send; False if another send has it or it is no longer waiting."""
    now = timezone.now()
    return bool(
        Reminder.objects.filter(pk=reminder_id, state__in=planning.OPEN_STATES, due_at__lte=now).update(
            state=Reminder.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def send(reminder_id: int) -> str:
    """Send one outbox row if this call wins its claim; return what happened (for logs and tests)."""
    if not claim(reminder_id):
        return "not claimed"
    row = Reminder.objects.select_related("rule", "user").get(pk=reminder_id)
    kind, _, pk = row.subject.partition(":")
    subject = triggers.load(kind, [int(pk)]).get(int(pk))
    reason = _recheck(row, kind, subject)
    if reason:
        with transaction.atomic():
            _finish(row, Reminder.State.WITHDRAWN, error=reason)
            _plan_next(row, kind, pk)
        return "withdrawn"
    message = compose(row, subject)
    row.title, row.body, row.url = message.title, message.body, message.url
    try:
        CHANNELS[row.channel].send(row, message)
    except PermanentFailure as error:
        _finish(row, Reminder.State.FAILED, error=str(error))
        return "failed"
    except Exception as error:  # whatever a channel raised may pass: retry later, up to the limit
        logger.warning("Reminder %s: attempt %s failed: %s", row.pk, row.attempts, error)
        if row.attempts >= settings.REMINDER_MAX_ATTEMPTS:
            _finish(row, Reminder.State.FAILED, error=f"gave up after {row.attempts} attempts: {error}")
            return "failed"
        row.state, row.last_error = Reminder.State.PLANNED, str(error)[:500]
        row.next_attempt_at = timezone.now() + retry_delay(row.attempts)
        row.save(update_fields=["state", "last_error", "next_attempt_at", "title", "body", "url"])
        return "retry"
    with transaction.atomic():
        _finish(row, Reminder.State.SENT)
        _plan_next(row, kind, pk)
    return "sent"


def _recheck(row: Reminder, kind: str, subject) -> str:
    """Ask again, at send time, whether the message is still called for and to this person."""
    if subject is None:
        return "deleted"
    if not row.rule.is_active:
        return "rule turned off"
    moment = triggers.moment(row.trigger, subject, timezone.now())
    wanted = [a for a in row.rule.audience if a in triggers.AUDIENCES[row.trigger]]
    people = {p.key: p for p in triggers.audiences(row.trigger, wanted, [subject]).get(subject.pk, [])}
    reason = planning.stale_reason(row.rule, moment, people, row)
    if not reason:
        row.address = CHANNELS[row.channel].address(people[row.recipient])[:254]
    return reason


def _finish(row: Reminder, state: str, error: str = "") -> None:
    row.state, row.last_error = state, error[:500]
    if state == Reminder.State.SENT:
        row.sent_at = timezone.now()
    row.save(update_fields=["state", "last_error", "sent_at", "address", "title", "body", "url"])


def _plan_next(row: Reminder, kind: str, pk: str) -> None:
    """After an occurrence of a repeating rule, plan the next one (if the matter is still open)."""
    if row.rule.repeat_every_days or kind == "digest":
        planning.plan_subjects(kind, [int(pk)], rules=[row.rule])


def retry(row: Reminder) -> bool:
    """Staff send a failed row again now."""
    return bool(
        Reminder.objects.filter(pk=row.pk, state=Reminder.State.FAILED).update(
            state=Reminder.State.PLANNED, attempts=0, next_attempt_at=None, claimed_at=None, last_error=""
        )
    )
