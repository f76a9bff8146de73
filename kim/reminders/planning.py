"""Planning: which outbox rows a subject's rules call for now, reconciled with the rows already there.

Services call `plan(subject)` in the transaction that changes the subject, so the plan never disagrees with
what was saved: a rescheduled session withdraws the old series and plans the new one; a cancelled session,
a recorded report or a confirmed group withdraws what is no longer due.
"""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from celery import current_app
from django.db import transaction
from django.utils import timezone

from kim.reminders import registry
from kim.reminders.models import Channel, Reminder, ReminderRule
from kim.reminders.registry import Moment, Recipient

# A notice due "now" is planned a moment after its change was saved: occurrences due this recently still
# count as future ones. Anything older is never planned: that is how a new rule keeps out of the past.
GRACE = dt.timedelta(minutes=10)
OPEN_STATES = (Reminder.State.PLANNED, Reminder.State.QUEUED)
# An occurrence is behind us once any of its rows is queued (the sweep has taken it) or further on.
TAKEN_STATES = (Reminder.State.QUEUED, Reminder.State.SENDING, Reminder.State.SENT, Reminder.State.FAILED)
BATCH = 500
# The sweep's task by its pinned name: the tasks call planning, so planning does not import them.
SWEEP_TASK = "kim.tasks.sweep_reminders"


@dataclass(frozen=True)
class Planned:
    """One row a rule calls for."""

    subject: str
    concerns: str
    recipient: Recipient
    channel: str
    occurrence: str
    due_at: dt.datetime


def channels_for(recipient: Recipient) -> list[str]:
    """An account always gets the inbox, and email or WhatsApp as its owner chose; a resource person or a
    KIM officer without an account, whatever address is known."""
    user = recipient.user
    if user is not None:
        chosen: list[str] = [Channel.INBOX]
        if user.notify_by_email and user.email:
            chosen.append(Channel.EMAIL)
        if user.notify_by_whatsapp and user.phone:
            chosen.append(Channel.WHATSAPP)
        return chosen
    return [
        channel
        for channel, address in ((Channel.EMAIL, recipient.email), (Channel.WHATSAPP, recipient.phone))
        if address
    ]


def due_at(rule: ReminderRule, moment: Moment, n: int) -> dt.datetime:
    return moment.at + dt.timedelta(days=rule.offset_days + n * (rule.repeat_every_days or 0))


def deadline(rule: ReminderRule, moment: Moment) -> dt.datetime | None:
    """A reminder ahead of a moment is pointless once the moment has come."""
    return moment.at if rule.offset_days < 0 else None


def _first_due_since(rule: ReminderRule, moment: Moment, since: dt.datetime) -> int | None:
    first = due_at(rule, moment, 0)
    if first >= since:
        return 0
    if not rule.repeat_every_days:
        return None
    return math.ceil((since - first) / dt.timedelta(days=rule.repeat_every_days))


def occurrence_key(moment: Moment, n: int) -> str:
    return f"{moment.key}#{n}"


def _parse_occurrence(key: str) -> tuple[str, int]:
    anchor, _, n = key.rpartition("#")
    return anchor, int(n)


def stale_reason(rule: ReminderRule, moment: Moment | None, people: dict[str, Recipient], row) -> str:
    """Why an outbox row is no longer called for (empty if it still is): the same test at plan and send time."""
    if not rule.is_active:
        return "rule turned off"
    if moment is None:
        return "resolved"
    anchor, n = _parse_occurrence(row.occurrence)
    if anchor != moment.key or due_at(rule, moment, n) != row.due_at:
        return "moved"
    recipient = people.get(row.recipient)
    if recipient is None:
        return "recipient no longer concerned"
    if row.channel not in channels_for(recipient):
        return "channel turned off"
    limit = deadline(rule, moment)
    if limit is not None and timezone.now() >= limit:
        return "too late"
    return ""


def active_rules(kind: str) -> list[ReminderRule]:
    return list(ReminderRule.objects.filter(trigger__in=registry.triggers_of(kind), is_active=True))


def plan(*objects) -> None:
    """Bring the outbox in line with the given subjects as they are now (call inside their transaction).

    A notice due at once (a cancellation) is not left for the next sweep: after the commit the sweep is
    asked to run now. If the broker is down the save still stands, and the beat's sweep sends it later."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for obj in objects:
        kind, _, pk = registry.subject_key(obj).partition(":")
        by_kind[kind].append(int(pk))
    for kind, ids in by_kind.items():
        plan_subjects(kind, ids)
    keys = [f"{kind}:{pk}" for kind, ids in by_kind.items() for pk in ids]
    if Reminder.objects.filter(
        subject__in=keys, state=Reminder.State.PLANNED, due_at__lte=timezone.now()
    ).exists():
        transaction.on_commit(sweep_now, robust=True)


def sweep_now() -> None:
    """Ask the worker for a sweep now rather than at the beat's next minute."""
    current_app.send_task(SWEEP_TASK)


def plan_subjects(kind: str, ids, *, rules: list[ReminderRule] | None = None) -> int:
    """Reconcile the outbox for subjects of one kind (deleted ones included); return the rows created."""
    rules = active_rules(kind) if rules is None else rules
    ids = list(ids)
    created = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        subjects = registry.kind(kind).load(chunk)
        for rule in rules:
            created += _reconcile(rule, kind, chunk, subjects)
    return created


def plan_for_person(user) -> None:
    """After a person changes their channels: re-plan what is still to be sent to them, so that a channel
    turned on reaches them too (one turned off is withdrawn at send time in any case)."""
    subjects = (
        Reminder.objects.filter(user=user, state__in=OPEN_STATES).values_list("subject", flat=True).distinct()
    )
    by_kind: dict[str, list[int]] = defaultdict(list)
    for subject in subjects:
        kind, _, pk = subject.partition(":")
        by_kind[kind].append(int(pk))
    for kind, ids in by_kind.items():
        plan_subjects(kind, ids)


def plan_rule(rule: ReminderRule) -> int:
    """Plan a new or edited rule for every open subject (its occurrences from now on only), and withdraw
    what it no longer calls for."""
    kind = registry.trigger(rule.trigger).kind
    ids = set(registry.trigger(rule.trigger).open_subject_ids())
    ids |= {
        int(subject.partition(":")[2])
        for subject in Reminder.objects.filter(rule=rule, state__in=OPEN_STATES)
        .values_list("subject", flat=True)
        .distinct()
    }
    return plan_subjects(kind, sorted(ids), rules=[rule])


def _reconcile(rule: ReminderRule, kind: str, ids: list[int], subjects: Mapping[int, Any]) -> int:
    now = timezone.now()
    keys = {pk: f"{kind}:{pk}" for pk in ids}
    rows_by_subject = defaultdict(list)
    for row in Reminder.objects.filter(rule=rule, subject__in=keys.values()).only(
        "subject", "recipient", "channel", "occurrence", "state", "due_at"
    ):
        rows_by_subject[row.subject].append(row)
    trigger = registry.trigger(rule.trigger)
    wanted = [a for a in rule.audience if a in trigger.audiences]
    present = [subjects[pk] for pk in ids if pk in subjects]
    people = registry.people(rule.trigger, wanted, present) if present else {}
    since = max(rule.effective_from, now - GRACE)
    new_rows: list[Reminder] = []
    revive: dict[dt.datetime, list[int]] = defaultdict(list)
    withdraw: dict[str, list[int]] = defaultdict(list)
    for pk in ids:
        subject = subjects.get(pk)
        moment = trigger.moment(subject, now) if subject is not None else None
        recipients = {person.key: person for person in people.get(pk, [])}
        rows = rows_by_subject[keys[pk]]
        for row in rows:
            if row.state in OPEN_STATES:
                reason = stale_reason(rule, moment, recipients, row) if subject is not None else "deleted"
                if reason:
                    withdraw[reason].append(row.pk)
                    row.state = Reminder.State.WITHDRAWN
        if moment is None or not rule.is_active:
            continue
        existing = {(row.recipient, row.channel, row.occurrence): row for row in rows}
        for planned in _wanted(rule, subject, moment, recipients, since, rows):
            found = existing.get((planned.recipient.key, planned.channel, planned.occurrence))
            if found is None:
                new_rows.append(_new_row(rule, planned))
            elif found.state == Reminder.State.WITHDRAWN:
                revive[planned.due_at].append(found.pk)
    for reason, pks in withdraw.items():
        Reminder.objects.filter(pk__in=pks, state__in=OPEN_STATES).update(
            state=Reminder.State.WITHDRAWN, last_error=reason
        )
    for when, pks in revive.items():  # the same occurrence called for again (a rule edited, a person back)
        Reminder.objects.filter(pk__in=pks, state=Reminder.State.WITHDRAWN).update(
            state=Reminder.State.PLANNED, due_at=when, last_error="", attempts=0, next_attempt_at=None
        )
    Reminder.objects.bulk_create(new_rows, ignore_conflicts=True)
    return len(new_rows) + sum(len(pks) for pks in revive.values())


def _wanted(rule, subject, moment: Moment, recipients: dict[str, Recipient], since, rows) -> list[Planned]:
    """The rows for the rule's next occurrence due from `since`: occurrences already sent (to anyone) are
    behind us, so a repeating rule moves on to the one after."""
    n = _first_due_since(rule, moment, since)
    if n is None:
        return []
    done = {row.occurrence for row in rows if row.state in TAKEN_STATES}
    while occurrence_key(moment, n) in done:
        if not rule.repeat_every_days:
            return []
        n += 1
    when = due_at(rule, moment, n)
    limit = deadline(rule, moment)
    if limit is not None and when >= limit:
        return []
    subject_key, concerns = registry.subject_key(subject), registry.concerns_key(subject)
    occurrence = occurrence_key(moment, n)
    return [
        Planned(subject_key, concerns, person, channel, occurrence, when)
        for person in recipients.values()
        for channel in channels_for(person)
    ]


def _new_row(rule: ReminderRule, planned: Planned) -> Reminder:
    return Reminder(
        rule=rule,
        trigger=rule.trigger,
        subject=planned.subject,
        concerns=planned.concerns,
        recipient=planned.recipient.key,
        user=planned.recipient.user,
        recipient_name=planned.recipient.name[:200],
        audience=planned.recipient.audience,
        channel=planned.channel,
        occurrence=planned.occurrence,
        due_at=planned.due_at,
    )


def withdraw_rule(rule: ReminderRule) -> int:
    """A rule turned off withdraws everything it had planned."""
    return Reminder.objects.filter(rule=rule, state__in=OPEN_STATES).update(
        state=Reminder.State.WITHDRAWN, last_error="rule turned off"
    )


def preview(rule: ReminderRule, limit: int = 20) -> tuple[int, list[Planned]]:
    """What the rule (saved or not) would plan now: how many messages, and the first few, soonest first."""
    trigger = registry.trigger(rule.trigger)
    now = timezone.now()
    since = max(rule.effective_from or now, now - GRACE)
    ids = list(trigger.open_subject_ids())
    wanted = [a for a in rule.audience if a in trigger.audiences]
    found: list[Planned] = []
    for start in range(0, len(ids), BATCH):
        subjects = registry.kind(trigger.kind).load(ids[start : start + BATCH])
        people = registry.people(rule.trigger, wanted, list(subjects.values()))
        for pk, subject in subjects.items():
            moment = trigger.moment(subject, now)
            if moment is None:
                continue
            recipients = {person.key: person for person in people.get(pk, [])}
            found += _wanted(rule, subject, moment, recipients, since, [])
    found.sort(key=lambda planned: planned.due_at)
    return len(found), found[:limit]
