"""Writes on dissemination sessions: propose, change, confirm or ask another date, reschedule, cancel.

Every change leaves a SessionEvent saying who did what and when. Transitions re-read the session under a row
lock, so that an officer rescheduling and a village head confirming at the same moment take turns; a
transition that finds nothing to do returns False and records nothing.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Field, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kim import reminders
from kim.accounts.access import manages_agency
from kim.register.models import Kim
from outreach.directory.models import Agency, ResourcePerson, Topic
from outreach.sessions.models import Session, SessionEvent

Event = SessionEvent.Kind
State = Session.State
CLASH_LIMIT = 20


@dataclass(frozen=True)
class Clash:
    """A session already booked at an overlapping time: in the same KIM, with some of the same people."""

    session: Session
    same_kim: bool
    resource_persons: tuple[ResourcePerson, ...]


def session_clashes(
    *,
    kim: Kim,
    resource_persons: Iterable[ResourcePerson],
    starts_at: datetime,
    ends_at: datetime,
    exclude: Session | None = None,
) -> list[Clash]:
    """Sessions still on (not cancelled) that overlap [starts_at, ends_at) in the same KIM or with one of
    the same resource persons, earliest first. Two queries, whatever the number of sessions."""
    person_ids = {person.pk for person in resource_persons}
    clashing = Q(kim_id=kim.pk)
    if person_ids:
        through = Session.resource_persons.through.objects.filter(
            session_id=OuterRef("pk"), resourceperson_id__in=person_ids
        )
        clashing |= Q(Exists(through))
    sessions = Session.objects.overlapping(starts_at, ends_at).filter(clashing)
    if exclude is not None:
        sessions = sessions.exclude(pk=exclude.pk)
    shared = Prefetch(
        "resource_persons",
        queryset=ResourcePerson.objects.filter(pk__in=person_ids),
        to_attr="shared_persons",
    )
    sessions = sessions.select_related("agency", "kim").prefetch_related(shared).order_by("starts_at", "id")
    return [
        Clash(session=found, same_kim=found.kim_id == kim.pk, resource_persons=tuple(found.shared_persons))
        for found in sessions[:CLASH_LIMIT]
    ]


def session_stamp(session: Session) -> str:
    """A short fingerprint of what a village head confirms (the times and the venue), so that a
    confirmation sent from a page opened before a reschedule does not confirm times nobody saw."""
    seen = f"{session.starts_at.timestamp()}|{session.ends_at.timestamp()}|{session.venue}"
    return hashlib.sha256(seen.encode()).hexdigest()[:16]


def _when(moment: datetime) -> str:
    # History notes are written once and read in either language: a plain numeric WIB time fits both.
    return f"{timezone.localtime(moment):%d-%m-%Y %H:%M} WIB"


def _label(name: str) -> str:
    field = Session._meta.get_field(name.removesuffix("_id"))
    assert isinstance(field, Field)
    return str(field.verbose_name)


def _lock(session: Session) -> Session:
    """Re-read the session under a row lock (its own row only: the joined rows stay free)."""
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("agency", "kim__village", "topic")
        .get(pk=session.pk)
    )


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("The session must end after it starts."), code="ends_before_start")
    if starts_at <= timezone.now():
        raise ValidationError(_("The session cannot start in the past."), code="starts_in_past")


def _check_topic(topic: Topic | None, topic_other: str) -> None:
    if topic is None and not topic_other.strip():
        raise ValidationError(_("Choose a topic from the list, or type another."), code="no_topic")


def _require_planned(session: Session) -> None:
    if not session.is_planned:
        raise ValidationError(
            _("This session is %(state)s; it can no longer change.") % {"state": session.get_state_display()},
            code="not_planned",
        )


@transaction.atomic
def session_propose(
    *,
    actor,
    agency: Agency,
    kim: Kim,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    venue: str,
    topic: Topic | None = None,
    topic_other: str = "",
    resource_persons: Iterable[ResourcePerson] = (),
    expected_audience: int | None = None,
) -> Session:
    """An agency proposes a session in an active KIM; it waits for the village head's confirmation."""
    if not manages_agency(actor, agency.pk):
        raise PermissionDenied
    if kim.status != Kim.Status.ACTIVE:
        raise ValidationError(_("Sessions are held in active KIMs only; this KIM is not active."), code="kim")
    _check_times(starts_at, ends_at)
    _check_topic(topic, topic_other)
    session = Session.objects.create(
        agency=agency,
        kim=kim,
        topic=topic,
        topic_other="" if topic else topic_other.strip(),
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        expected_audience=expected_audience,
        proposed_by=actor,
    )
    session.resource_persons.set(resource_persons)
    SessionEvent.record(session, actor=actor, kind=Event.PROPOSED, notes=f"{_when(starts_at)}, {venue}")
    reminders.plan(session)
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    actor,
    title: str,
    venue: str,
    topic: Topic | None = None,
    topic_other: str = "",
    resource_persons: Iterable[ResourcePerson] = (),
    expected_audience: int | None = None,
) -> bool:
    """Change the details of a session still waiting for confirmation; False when nothing changed."""
    session = _lock(session)
    if session.state != State.PROPOSED:
        raise ValidationError(
            _("Only a proposed session's details can change; reschedule or cancel it instead."),
            code="not_proposed",
        )
    _check_topic(topic, topic_other)
    wanted = {
        "topic_id": topic.pk if topic else None,
        "topic_other": "" if topic else topic_other.strip(),
        "title": title,
        "venue": venue,
        "expected_audience": expected_audience,
    }
    changed = [name for name, value in wanted.items() if getattr(session, name) != value]
    for name in changed:
        setattr(session, name, wanted[name])
    persons = {person.pk for person in resource_persons}
    persons_changed = persons != set(session.resource_persons.values_list("pk", flat=True))
    if persons_changed:
        changed.append("resource_persons")
    if not changed:
        return False
    session.save()
    if persons_changed:
        # After the save, so that the audit trail reads them as one change (kim.audit.services).
        session.resource_persons.set(persons)
    changes = ", ".join(sorted(_label(name) for name in changed))
    SessionEvent.record(session, actor=actor, kind=Event.CHANGED, notes=changes)
    reminders.plan(session)
    return True


@transaction.atomic
def session_confirm(*, session: Session, actor, stamp: str | None = None) -> bool:
    """The village head (or staff) confirms the date and venue. False, and no change, unless the session
    was waiting for it: a second click changes nothing."""
    session = _lock(session)
    if session.state != State.PROPOSED:
        return False
    if stamp is not None and stamp != session_stamp(session):
        raise ValidationError(
            _("The date or the venue changed after you opened the page; check them and confirm again."),
            code="stale",
        )
    session.state, session.date_request = State.CONFIRMED, ""
    session.save(update_fields=["state", "date_request"])
    SessionEvent.record(
        session, actor=actor, kind=Event.CONFIRMED, notes=f"{_when(session.starts_at)}, {session.venue}"
    )
    reminders.plan(session)
    return True


@transaction.atomic
def session_request_date(*, session: Session, actor, reason: str) -> bool:
    """The village head asks for another date, saying why; the session stays proposed until the agency
    reschedules it. False when it is not waiting for an answer, or the same request was already made."""
    session = _lock(session)
    if session.state != State.PROPOSED or session.date_request == reason:
        return False
    session.date_request = reason
    session.save(update_fields=["date_request"])
    SessionEvent.record(session, actor=actor, kind=Event.DATE_REQUESTED, notes=reason)
    return True


@transaction.atomic
def session_reschedule(
    *, session: Session, actor, starts_at: datetime, ends_at: datetime, venue: str, reason: str
) -> bool:
    """Move a planned session to new times (or a new venue). The village must confirm it again, and any
    request for another date is answered by this. False when the times and venue stay as they were."""
    session = _lock(session)
    _require_planned(session)
    _check_times(starts_at, ends_at)
    if (session.starts_at, session.ends_at, session.venue) == (starts_at, ends_at, venue):
        return False
    was = _when(session.starts_at)
    session.starts_at, session.ends_at, session.venue = starts_at, ends_at, venue
    session.state, session.date_request = State.PROPOSED, ""
    session.save(update_fields=["starts_at", "ends_at", "venue", "state", "date_request"])
    SessionEvent.record(
        session, actor=actor, kind=Event.RESCHEDULED, notes=f"{was} → {_when(starts_at)}, {venue}. {reason}"
    )
    reminders.plan(session)
    return True


@transaction.atomic
def session_cancel(*, session: Session, actor, reason: str) -> bool:
    """Call off a planned session, saying why. False when it was already cancelled."""
    session = _lock(session)
    if session.state == State.CANCELLED:
        return False
    _require_planned(session)
    session.state, session.cancelled_reason = State.CANCELLED, reason
    session.save(update_fields=["state", "cancelled_reason"])
    SessionEvent.record(session, actor=actor, kind=Event.CANCELLED, notes=reason)
    reminders.plan(session)
    return True
