"""What reminders can be about. The engine names no domain: each feature registers its subject kinds and
their triggers from its own reminders.py when its app is ready, and the engine asks the registry.

A subject kind says how to load its subjects in batches, who each of its audiences is, and which page lists
its reminders. A trigger belongs to one kind and says when its moment is for a subject (None once the matter
is resolved or was never there), which subjects a new rule may still have to remind about, and how its
message reads. Planning and sending both ask these functions, so the answer at send time is the answer the
plan was made from: a reminder whose session was cancelled or whose recipient left is not sent.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.functional import Promise

WIB = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Recipient:
    key: str  # "user:7"; or, for people without an account, the feature's own: "person:3", "member:9"
    name: str
    user: Any = None  # the account, when the recipient has one
    email: str = ""
    phone: str = ""
    audience: str = ""


@dataclass(frozen=True)
class Moment:
    """The moment a subject's rules count from, as it stands now."""

    at: dt.datetime
    key: str  # identifies the moment in occurrence keys: a rescheduled session starts a new series

    @classmethod
    def of(cls, at: dt.datetime) -> "Moment":
        return cls(at, at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M"))

    @classmethod
    def morning_of(cls, day: dt.date) -> "Moment":
        """Date-only moments (due dates, term ends, visits) count from the reminder hour (08:00 WIB)."""
        return cls.of(dt.datetime.combine(day, dt.time(settings.REMINDER_HOUR), tzinfo=WIB))


# For a batch of subjects: each subject's id → the people of one audience.
People = Callable[[list[Any]], Mapping[int, list[Recipient]]]


@dataclass(frozen=True)
class Page:
    """The page that lists a kind's reminders for staff, and how its subjects are named there."""

    url_name: str
    label: Promise  # "Session #%(pk)s"
    get: Callable[[int], tuple[Any, str]]  # the subject and its title; raises Http404 when missing
    titles: Callable[[list[int]], Mapping[int, str]]  # titles of many, in one query


@dataclass(frozen=True)
class SubjectKind:
    name: str  # the first part of a subject key: "session" in "session:12"
    model: type
    load: Callable[[list[int]], Mapping[int, Any]]  # by id, with what moments and audiences read
    audiences: Mapping[str, People]
    page: Page | None = None
    # A kind whose reminders are listed on another's page ("a follow-up of session 12"): that page's key,
    # and how the part is named there.
    concerns: Callable[[Any], str] | None = None
    part_label: Promise | None = None
    # Subjects with no row of their own (the weekly digest): the sweep plans them afresh each time.
    standing_ids: tuple[int, ...] = ()

    def key(self, subject) -> str:
        return f"{self.name}:{subject.pk}"


@dataclass(frozen=True)
class Trigger:
    value: str
    label: str | Promise
    kind: str
    audiences: tuple[str, ...]  # who may hear of it, in the order rule forms offer them
    moment: Callable[[Any, dt.datetime], Moment | None]  # (subject, now)
    compose: Callable[[Any, Any], tuple[str, str, str]]  # (outbox row, subject) → title, body, page path
    # Subjects a new or edited rule may still have to remind about; a trigger whose moment is a change
    # (on_change) plans only when the change is saved, never ahead.
    open_subject_ids: Callable[[], Iterable[int]] = tuple
    repeatable: bool = False  # its matter can stay unresolved, so a rule may repeat until it is
    on_change: bool = False


_kinds: dict[str, SubjectKind] = {}
_triggers: dict[str, Trigger] = {}
_audiences: dict[str, str | Promise] = {}


def register_kind(kind: SubjectKind) -> SubjectKind:
    _kinds[kind.name] = kind
    return kind


def register_trigger(trigger: Trigger) -> Trigger:
    if trigger.kind not in _kinds:
        raise LookupError(f"Register the subject kind {trigger.kind!r} before its trigger {trigger.value!r}")
    missing = set(trigger.audiences) - set(_kinds[trigger.kind].audiences)
    if missing:
        raise LookupError(
            f"{trigger.kind!r} subjects have no audience {sorted(missing)} for {trigger.value!r}"
        )
    _triggers[trigger.value] = trigger
    return trigger


def register_audience(value: str, label: str | Promise) -> str:
    _audiences[value] = label
    return value


def unregister_audience(value: str) -> None:
    _audiences.pop(value, None)


def unregister_kind(name: str) -> None:
    """Take a kind and its triggers away again (for tests that register one of their own)."""
    _kinds.pop(name, None)
    for value in [value for value, trigger in _triggers.items() if trigger.kind == name]:
        del _triggers[value]


def kind(name: str) -> SubjectKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No reminders are kept about {name!r} subjects") from None


def kinds() -> list[SubjectKind]:
    return list(_kinds.values())


def trigger(value: str) -> Trigger:
    try:
        return _triggers[value]
    except KeyError:
        raise LookupError(f"No trigger {value!r} is registered") from None


def triggers_of(kind_name: str) -> list[str]:
    return [value for value, trigger in _triggers.items() if trigger.kind == kind_name]


def trigger_values() -> list[str]:
    return list(_triggers)


def trigger_choices() -> list[tuple[str, str | Promise]]:
    return [(trigger.value, trigger.label) for trigger in _triggers.values()]


def audience_choices() -> list[tuple[str, str | Promise]]:
    return list(_audiences.items())


def audience_label(value: str) -> str:
    return str(_audiences.get(value, value))


def kind_of(subject) -> SubjectKind:
    for cls in type(subject).__mro__:
        for registered in _kinds.values():
            if registered.model is cls:
                return registered
    raise TypeError(f"No reminders are kept about {type(subject).__name__}")


def subject_key(subject) -> str:
    return kind_of(subject).key(subject)


def concerns_key(subject) -> str:
    """The key of the page a reminder about `subject` is listed on."""
    found = kind_of(subject)
    return found.concerns(subject) if found.concerns else found.key(subject)


def people(trigger_value: str, wanted: list[str], subjects: list) -> dict[int, list[Recipient]]:
    """For each subject (by id), the people in the wanted audiences as things stand now, each once: a person
    in two audiences hears as a member of the first."""
    subject_kind = kind(trigger(trigger_value).kind)
    wanted = [audience for audience in wanted if audience in subject_kind.audiences]
    found = {audience: subject_kind.audiences[audience](subjects) for audience in wanted}
    result: dict[int, list[Recipient]] = {}
    for subject in subjects:
        unique: dict[str, Recipient] = {}
        for audience in wanted:
            for person in found[audience].get(subject.pk, []):
                unique.setdefault(person.key, replace(person, audience=audience))
        result[subject.pk] = list(unique.values())
    return result
