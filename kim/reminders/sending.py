"""Sending: the sweep queues due rows, and each send claims its row before it sends.

A row moves planned → queued → sending → sent or failed:
- The sweep takes due rows under a row lock that a second sweep skips, asks for each whether it is still
  called for and whether its recipient is still concerned (in batches: a session cancelled, a village head
  replaced, a channel turned off withdraw it), writes the message, marks it queued and sends one task per row.
- The task claims its row with an UPDATE that only one delivery can win, then delivers it. For the inbox
  the claim is the delivery: the message is the row. A row withdrawn after it was queued (a cancellation a
  second later) can no longer be claimed.
- A transient error puts the row back to planned for a later attempt; rows a lost message or a dead worker
  left queued or sending are given back after REMINDER_STUCK_AFTER_SECONDS.
A task delivered twice, two sweeps at the same moment or two beats therefore send each message once.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from kim.reminders import planning, registry
from kim.reminders.channels import CHANNELS, PermanentFailure
from kim.reminders.messages import Message, compose
from kim.reminders.models import Channel, Heartbeat, Reminder

logger = logging.getLogger(__name__)

SWEEP_HEARTBEAT = "reminder_sweep"
SWEEP_BATCH = 250


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes after each failed attempt, at most an hour."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def sweep(enqueue: Callable[[int, int], None]) -> int:
    """Queue every due row once (`enqueue(row id, attempt)` sends the task); return how many were queued."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=SWEEP_HEARTBEAT, defaults={"beat_at": now})
    stuck = now - dt.timedelta(seconds=settings.REMINDER_STUCK_AFTER_SECONDS)
    Reminder.objects.filter(
        state__in=[Reminder.State.QUEUED, Reminder.State.SENDING], claimed_at__lt=stuck
    ).update(state=Reminder.State.PLANNED, claimed_at=None)
    with transaction.atomic():
        for kind in registry.kinds():
            if kind.standing_ids:
                planning.plan_subjects(kind.name, kind.standing_ids)
    queued = 0
    while True:
        with transaction.atomic():
            rows = list(
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("rule")
                .filter(state=Reminder.State.PLANNED, due_at__lte=now)
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                .order_by("due_at", "id")[:SWEEP_BATCH]
            )
            ready = _prepare(rows, now)
            _plan_next_occurrences(ready)
        for row in ready:
            enqueue(row.pk, row.attempts + 1)
        queued += len(ready)
        if len(rows) < SWEEP_BATCH:
            return queued


def _prepare(rows: list[Reminder], now: dt.datetime) -> list[Reminder]:
    """Check each due row again and write its message; withdraw the stale ones, queue the rest."""
    withdrawn: dict[str, list[int]] = defaultdict(list)
    ready: list[Reminder] = []
    by_kind: dict[str, list[Reminder]] = defaultdict(list)
    for row in rows:
        by_kind[row.subject.partition(":")[0]].append(row)
    for kind, kind_rows in by_kind.items():
        subjects = registry.kind(kind).load(list({int(row.subject.partition(":")[2]) for row in kind_rows}))
        people = _people(kind_rows, subjects)
        written: dict[tuple, Message] = {}
        for row in kind_rows:
            subject = subjects.get(int(row.subject.partition(":")[2]))
            if subject is None:
                withdrawn["deleted"].append(row.pk)
                continue
            reason = _stale(row, subject, people, now)
            if reason:
                withdrawn[reason].append(row.pk)
                continue
            recipient = people[(row.trigger, row.audience)][subject.pk][row.recipient]
            # A message reads the same for everyone it goes to (its words depend on the subject and the
            # occurrence only): write it once per occurrence.
            key = (row.rule_id, row.subject, row.occurrence)
            if key not in written:
                written[key] = compose(row, subject)
            message = written[key]
            row.address = CHANNELS[row.channel].address(recipient)[:254]
            row.title, row.body, row.url = message.title, message.body, message.url
            row.state, row.claimed_at = Reminder.State.QUEUED, now
            ready.append(row)
    for reason, pks in withdrawn.items():
        Reminder.objects.filter(pk__in=pks).update(state=Reminder.State.WITHDRAWN, last_error=reason)
    _mark_queued(ready, now)
    return ready


def _mark_queued(rows: list[Reminder], now: dt.datetime) -> None:
    """Store each row's message and mark it queued, in one statement. (bulk_update() would build a CASE per
    row and field: most of a sweep's time at 500 rows.) VALUES names its columns column1…, in PostgreSQL
    and in SQLite alike."""
    if not rows:
        return
    table = connection.ops.quote_name(Reminder._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    sql = (
        f"UPDATE {table} SET state = %s, claimed_at = %s, address = v.column2, title = v.column3, "
        f"body = v.column4, url = v.column5 FROM (VALUES {values}) AS v WHERE {table}.id = v.column1"
    )
    params: list = [Reminder.State.QUEUED.value, now]
    for row in rows:
        params += [row.pk, row.address, row.title, row.body, row.url]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _people(rows: list[Reminder], subjects: Mapping[int, Any]) -> dict:
    """(trigger, audience) → subject id → recipient key → Recipient, as things stand now."""
    wanted: dict[tuple[str, str], set[int]] = defaultdict(set)
    for row in rows:
        pk = int(row.subject.partition(":")[2])
        if pk in subjects:
            wanted[(row.trigger, row.audience)].add(pk)
    people = {}
    for (trigger, audience), pks in wanted.items():
        found = registry.people(trigger, [audience], [subjects[pk] for pk in pks])
        people[(trigger, audience)] = {pk: {p.key: p for p in found.get(pk, [])} for pk in pks}
    return people


def _stale(row: Reminder, subject, people: dict, now: dt.datetime) -> str:
    moment = registry.trigger(row.trigger).moment(subject, now)
    recipients = people.get((row.trigger, row.audience), {}).get(subject.pk, {})
    return planning.stale_reason(row.rule, moment, recipients, row)


def _plan_next_occurrences(rows: list[Reminder]) -> None:
    """A repeating rule's next occurrence is planned as soon as this one is queued."""
    subjects: dict[tuple[int, str], set[int]] = defaultdict(set)
    rules = {}
    for row in rows:
        if row.rule.repeat_every_days:
            kind, _, pk = row.subject.partition(":")
            subjects[(row.rule_id, kind)].add(int(pk))
            rules[row.rule_id] = row.rule
    for (rule_id, kind), pks in subjects.items():
        planning.plan_subjects(kind, sorted(pks), rules=[rules[rule_id]])


def send(reminder_id: int) -> str:
    """Deliver one queued row if this call wins its claim; return what happened (for logs and tests)."""
    if _deliver_in_app(reminder_id):
        return "sent"
    if not claim(reminder_id):
        return "not claimed"
    row = Reminder.objects.get(pk=reminder_id)
    message = Message(row.title, row.body, row.url)
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
        Reminder.objects.filter(pk=row.pk, state=Reminder.State.SENDING).update(
            state=Reminder.State.PLANNED,
            last_error=str(error)[:500],
            next_attempt_at=timezone.now() + retry_delay(row.attempts),
        )
        return "retry"
    _finish(row, Reminder.State.SENT)
    return "sent"


def _deliver_in_app(reminder_id: int) -> bool:
    """An inbox message is the row itself: claiming it sent is its delivery. Written as SQL because this is
    the send every reminder makes, and building the same UPDATE through the ORM costs as much as running it."""
    table = connection.ops.quote_name(Reminder._meta.db_table)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Lost in a database crash, this commit would deliver the same row again later: the same message,
            # not a second one. So it need not wait for the disk.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            f"UPDATE {table} SET state = %s, sent_at = %s, claimed_at = %s, attempts = attempts + 1 "
            "WHERE id = %s AND state = %s AND channel = %s",
            [
                Reminder.State.SENT.value,
                now,
                now,
                reminder_id,
                Reminder.State.QUEUED.value,
                Channel.INBOX.value,
            ],
        )
        return cursor.rowcount == 1


def claim(reminder_id: int) -> bool:
    """Take a queued row for this send; False if another send has it or it is no longer waiting."""
    return bool(
        Reminder.objects.filter(pk=reminder_id, state=Reminder.State.QUEUED).update(
            state=Reminder.State.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    )


def _finish(row: Reminder, state: str, error: str = "") -> None:
    Reminder.objects.filter(pk=row.pk, state=Reminder.State.SENDING).update(
        state=state, last_error=error[:500], sent_at=timezone.now() if state == Reminder.State.SENT else None
    )


def retry(row: Reminder) -> bool:
    """Staff send a failed row again: it goes out with a sweep asked for at once (if still called for)."""
    retried = Reminder.objects.filter(pk=row.pk, state=Reminder.State.FAILED).update(
        state=Reminder.State.PLANNED, attempts=0, next_attempt_at=None, claimed_at=None, last_error=""
    )
    if retried:
        transaction.on_commit(planning.sweep_now, robust=True)
    return bool(retried)
