"""What each trigger means: its subjects, the moment a rule counts from, when it is resolved, who hears of it.

Planning and sending both ask these functions, so the answer at send time is the answer the plan was made
from: a reminder whose session was cancelled, whose report was recorded or whose recipient left is not sent.
Every function takes a batch of subjects, so planning 10,000 sessions costs a handful of queries per batch.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from kim.accounts.models import Role, User
from kim.formation.models import Formation, FormationEvent, Step
from kim.register.models import Kim, Member
from kim.reminders.models import Audience, Trigger
from outreach.reports.models import FollowUp
from outreach.sessions.models import Session, SessionEvent

WIB = ZoneInfo(settings.TIME_ZONE)

SUBJECT_TYPES: dict[str, tuple[str, ...]] = {
    "session": (Trigger.SESSION_START, Trigger.SESSION_CHANGED, Trigger.REPORT_OWED),
    "follow_up": (Trigger.FOLLOW_UP_DUE,),
    "formation": (Trigger.CONFIRMATION_AWAITED, Trigger.FORMATION_STALLED),
    "kim": (Trigger.VISIT_DUE,),
    "member": (Trigger.TERM_ENDING,),
    "digest": (Trigger.WEEKLY_DIGEST,),
}
TRIGGER_SUBJECT: dict[str, str] = {
    trigger: kind for kind, triggers in SUBJECT_TYPES.items() for trigger in triggers
}

AUDIENCES: dict[str, list[str]] = {
    Trigger.SESSION_START: [
        Audience.OFFICERS,
        Audience.RESOURCE_PERSONS,
        Audience.KETUA,
        Audience.VILLAGE_HEAD,
    ],
    Trigger.SESSION_CHANGED: [
        Audience.OFFICERS,
        Audience.RESOURCE_PERSONS,
        Audience.KETUA,
        Audience.VILLAGE_HEAD,
    ],
    Trigger.REPORT_OWED: [Audience.OFFICERS],
    Trigger.FOLLOW_UP_DUE: [Audience.OWNER, Audience.OFFICERS],
    Trigger.CONFIRMATION_AWAITED: [Audience.VILLAGE_HEAD],
    Trigger.FORMATION_STALLED: [Audience.MENTORS],
    Trigger.VISIT_DUE: [Audience.MENTORS, Audience.VILLAGE_HEAD],
    Trigger.TERM_ENDING: [Audience.MENTORS, Audience.VILLAGE_HEAD],
    Trigger.WEEKLY_DIGEST: [Audience.STAFF],
}
# Triggers whose matter can stay unresolved, so that a rule may repeat until it is.
REPEATABLE: set[str] = {
    Trigger.REPORT_OWED,
    Trigger.FOLLOW_UP_DUE,
    Trigger.CONFIRMATION_AWAITED,
    Trigger.FORMATION_STALLED,
    Trigger.VISIT_DUE,
}


@dataclass(frozen=True)
class Recipient:
    key: str  # "user:7", "person:3" (resource person), "member:9" (KIM officer), "owner:4" (follow-up)
    name: str
    user: User | None = None
    email: str = ""
    phone: str = ""
    audience: str = ""


@dataclass(frozen=True)
class Moment:
    """The moment a subject's rules count from, as it stands now; None when the matter is resolved."""

    at: dt.datetime
    key: str  # identifies the moment in occurrence keys: a rescheduled session starts a new series


def subject_key(obj) -> str:
    if isinstance(obj, Session):
        return f"session:{obj.pk}"
    if isinstance(obj, FollowUp):
        return f"follow_up:{obj.pk}"
    if isinstance(obj, Formation):
        return f"formation:{obj.pk}"
    if isinstance(obj, Kim):
        return f"kim:{obj.pk}"
    if isinstance(obj, Member):
        return f"member:{obj.pk}"
    if isinstance(obj, Digest):
        return "digest:0"
    raise TypeError(f"No reminders are kept about {type(obj).__name__}")


def concerns_key(obj) -> str:
    """The page a reminder about `obj` is listed on: a follow-up's session, a member's KIM."""
    if isinstance(obj, FollowUp):
        return f"session:{obj.session_id}"
    if isinstance(obj, Member):
        return f"kim:{obj.kim_id}"
    return subject_key(obj)


class Digest:
    """The weekly digest has no row of its own: there is one, always."""

    pk = 0


def _at_morning(day: dt.date) -> dt.datetime:
    """Date-only moments (due dates, term ends, visits) count from 08:00 WIB of that day."""
    return dt.datetime.combine(day, dt.time(settings.REMINDER_HOUR), tzinfo=WIB)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M")


def _moment(at: dt.datetime) -> Moment:
    return Moment(at, _stamp(at))


# Subjects, loaded in batches with what the moments and audiences need


def load(kind: str, ids) -> dict[int, Any]:
    """The subjects of one kind by id, with what their moments and audiences read; missing ids are absent."""
    ids = list(ids)
    rows: QuerySet[Any]
    if kind == "session":
        last_change = _change_events().filter(session=OuterRef("pk"))
        rows = Session.objects.select_related("kim__village", "agency", "topic").annotate(
            last_change_id=Subquery(last_change.values("id")[:1]),
            last_change_at=Subquery(last_change.values("at")[:1]),
        )
        rows = rows.prefetch_related("resource_persons")
    elif kind == "follow_up":
        rows = FollowUp.objects.select_related("session__kim__village", "session__agency", "owner_user")
    elif kind == "formation":
        rows = Formation.objects.select_related("target__village", "target__created_by", "kim").annotate(
            submitted_at=Max("events__at", filter=_submitted())
        )
    elif kind == "kim":
        rows = Kim.objects.select_related("village")
    elif kind == "member":
        rows = Member.objects.select_related("kim__village")
    elif kind == "digest":
        return {0: Digest()}
    else:
        raise ValueError(kind)
    return {row.pk: row for row in rows.filter(pk__in=ids)}


def _change_events():
    kinds = [SessionEvent.Kind.RESCHEDULED, SessionEvent.Kind.CANCELLED]
    return SessionEvent.objects.filter(kind__in=kinds).order_by("-at", "-id")


def _submitted():
    return Q(events__kind=FormationEvent.Kind.SUBMITTED)


def open_subject_ids(trigger: str):
    """The subjects a rule of this trigger may still have to remind about (for planning a new rule)."""
    now = timezone.now()
    if trigger == Trigger.SESSION_START:
        states = [Session.State.PROPOSED, Session.State.CONFIRMED]
        return Session.objects.filter(state__in=states, starts_at__gt=now).values_list("pk", flat=True)
    if trigger == Trigger.REPORT_OWED:
        states = [Session.State.CONFIRMED, Session.State.HELD]
        return Session.objects.filter(state__in=states).values_list("pk", flat=True)
    if trigger == Trigger.FOLLOW_UP_DUE:
        return FollowUp.objects.open().values_list("pk", flat=True)
    if trigger == Trigger.CONFIRMATION_AWAITED:
        return Formation.objects.awaiting_confirmation().values_list("pk", flat=True)
    if trigger == Trigger.FORMATION_STALLED:
        return Formation.objects.open().values_list("pk", flat=True)
    if trigger == Trigger.VISIT_DUE:
        return Kim.objects.filter(status=Kim.Status.ACTIVE).values_list("pk", flat=True)
    if trigger == Trigger.TERM_ENDING:
        return (
            Member.objects.current().filter(term_end__gte=timezone.localdate()).values_list("pk", flat=True)
        )
    if trigger == Trigger.WEEKLY_DIGEST:
        return [0]
    return []  # SESSION_CHANGED: a notice belongs to a change, and changes are never planned ahead


def moment(trigger: str, subject, now: dt.datetime) -> Moment | None:
    """When the trigger's moment is for this subject, or None if there is nothing (left) to remind about."""
    if trigger == Trigger.SESSION_START:
        if subject.state not in (Session.State.PROPOSED, Session.State.CONFIRMED):
            return None
        return _moment(subject.starts_at)
    if trigger == Trigger.SESSION_CHANGED:
        if subject.last_change_id is None:
            return None
        return Moment(subject.last_change_at, f"event{subject.last_change_id}")
    if trigger == Trigger.REPORT_OWED:
        if subject.state not in (Session.State.CONFIRMED, Session.State.HELD):
            return None
        return _moment(subject.ends_at)
    if trigger == Trigger.FOLLOW_UP_DUE:
        if subject.done_on is not None or subject.session.state == Session.State.CANCELLED:
            return None
        return _moment(_at_morning(subject.due_on))
    if trigger == Trigger.CONFIRMATION_AWAITED:
        waiting = (
            subject.state == Formation.State.OPEN
            and subject.step == Step.MEETING
            and subject.confirmation == Formation.Confirmation.PENDING
        )
        if not waiting or subject.submitted_at is None:
            return None
        return _moment(subject.submitted_at)
    if trigger == Trigger.FORMATION_STALLED:
        if subject.state != Formation.State.OPEN:
            return None
        return _moment(subject.step_changed_at)
    if trigger == Trigger.VISIT_DUE:
        since = subject.last_visit_on or subject.founded_on or timezone.localtime(subject.created_at).date()
        if subject.status != Kim.Status.ACTIVE:
            return None
        return _moment(_at_morning(since + dt.timedelta(days=settings.KIM_VISIT_CADENCE_DAYS)))
    if trigger == Trigger.TERM_ENDING:
        if (
            subject.left_on is not None
            or subject.term_end is None
            or subject.kim.status == Kim.Status.INACTIVE
        ):
            return None
        return _moment(_at_morning(subject.term_end))
    if trigger == Trigger.WEEKLY_DIGEST:
        today = timezone.localdate(now)
        monday = today - dt.timedelta(days=today.weekday())
        start = dt.datetime.combine(monday, dt.time(7), tzinfo=WIB)
        return _moment(start if start >= now - dt.timedelta(minutes=10) else start + dt.timedelta(days=7))
    raise ValueError(trigger)


# Audiences


def audiences(trigger: str, wanted: list[str], subjects: list) -> dict[int, list[Recipient]]:
    """For each subject (by id), the people in the wanted audiences, each once, as things stand now."""
    kims = {pk: kim for pk, kim in (_kim_of(trigger, s) for s in subjects) if kim is not None}
    result: dict[int, list[Recipient]] = {s.pk: [] for s in subjects}
    heads = _heads({kim.village_id for kim in kims.values()}) if Audience.VILLAGE_HEAD in wanted else {}
    kim_ids = {kim.pk for kim in kims.values()}
    mentors = _mentors(kim_ids) if Audience.MENTORS in wanted else {}
    officers = {}
    if Audience.OFFICERS in wanted:
        officers = _officers({_session_of(trigger, s).agency_id for s in subjects})
    ketuas = _ketuas(kim_ids) if Audience.KETUA in wanted else {}
    staff = _staff() if Audience.STAFF in wanted else []
    for subject in subjects:
        kim = kims.get(subject.pk)
        people: list[Recipient] = []
        for audience in wanted:
            found: list[Recipient] = []
            if audience == Audience.OFFICERS:
                found = officers.get(_session_of(trigger, subject).agency_id, [])
            elif audience == Audience.RESOURCE_PERSONS:
                found = [
                    Recipient(f"person:{p.pk}", p.name, email=p.email, phone=p.phone)
                    for p in subject.resource_persons.all()
                ]
            elif audience == Audience.KETUA and kim is not None:
                found = ketuas.get(kim.pk, [])
            elif audience == Audience.VILLAGE_HEAD and kim is not None:
                found = heads.get(kim.village_id, [])
            elif audience == Audience.MENTORS and trigger in FORMATION_TRIGGERS:
                found = _formation_mentors(subject, mentors)
            elif audience == Audience.MENTORS and kim is not None:
                found = mentors.get(kim.pk, [])
            elif audience == Audience.OWNER:
                found = _owner(subject)
            elif audience == Audience.STAFF:
                found = staff
            people += [replace(person, audience=audience) for person in found]
        unique: dict[str, Recipient] = {}
        for person in people:  # a person in two audiences hears once, as a member of the first
            unique.setdefault(person.key, person)
        result[subject.pk] = list(unique.values())
    return result


FORMATION_TRIGGERS = {Trigger.CONFIRMATION_AWAITED, Trigger.FORMATION_STALLED}
SESSION_TRIGGERS = {
    Trigger.SESSION_START,
    Trigger.SESSION_CHANGED,
    Trigger.REPORT_OWED,
    Trigger.FOLLOW_UP_DUE,
}


def _session_of(trigger: str, subject) -> Session:
    return subject.session if trigger == Trigger.FOLLOW_UP_DUE else subject


def _kim_of(trigger: str, subject) -> tuple[int, Kim | None]:
    if trigger in SESSION_TRIGGERS:
        return subject.pk, _session_of(trigger, subject).kim
    if trigger in FORMATION_TRIGGERS:
        return subject.pk, subject.kim
    if trigger == Trigger.VISIT_DUE:
        return subject.pk, subject
    if trigger == Trigger.TERM_ENDING:
        return subject.pk, subject.kim
    return subject.pk, None


def _owner(follow_up: FollowUp) -> list[Recipient]:
    """The follow-up's owner: their account if they have one, or else their phone (for WhatsApp)."""
    if follow_up.owner_user is not None:
        return [_user_recipient(follow_up.owner_user)] if follow_up.owner_user.is_active else []
    if follow_up.owner_phone:
        return [Recipient(f"owner:{follow_up.pk}", follow_up.owner, phone=follow_up.owner_phone)]
    return []


def _formation_mentors(formation, mentors) -> list[Recipient]:
    """A formation's mentors are its group's; before the group has any, the staff member who targeted it."""
    found = mentors.get(formation.kim_id, []) if formation.kim_id else []
    creator = formation.target.created_by
    if not found and creator is not None and creator.is_active and creator.is_dinkominfo:
        return [_user_recipient(creator)]
    return found


def _user_recipient(user: User) -> Recipient:
    return Recipient(f"user:{user.pk}", str(user), user=user, email=user.email, phone=user.phone)


def _grouped(users, attribute: str) -> dict:
    grouped = defaultdict(list)
    for user in users:
        grouped[getattr(user, attribute)].append(_user_recipient(user))
    return grouped


def _heads(village_ids) -> dict:
    users = User.objects.filter(role=Role.VILLAGE_HEAD, is_active=True, village_id__in=village_ids)
    return _grouped(users.order_by("pk"), "village_id")


def _officers(agency_ids) -> dict:
    users = User.objects.filter(role=Role.OPD_OFFICER, is_active=True, agency_id__in=agency_ids)
    return _grouped(users.order_by("pk"), "agency_id")


def _staff() -> list[Recipient]:
    users = User.objects.filter(role__in=[Role.STAFF, Role.STAFF_ADMIN], is_active=True).order_by("pk")
    return [_user_recipient(user) for user in users]


def _mentors(kim_ids) -> dict:
    through = Kim.mentors.through.objects.filter(kim_id__in=kim_ids, user__is_active=True)
    grouped = defaultdict(list)
    for link in through.select_related("user").order_by("user_id"):
        grouped[link.kim_id].append(_user_recipient(link.user))
    return grouped


def _ketuas(kim_ids) -> dict:
    members = Member.objects.current().filter(kim_id__in=kim_ids, position=Member.Position.KETUA)
    return {m.kim_id: [Recipient(f"member:{m.pk}", m.name, phone=m.phone)] for m in members}
