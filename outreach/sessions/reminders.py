"""Reminders about sessions: H-n before one starts, and a notice when one is rescheduled or cancelled. Who
hears of a session: its agency's officers, its resource persons, and the KIM's ketua and village head."""

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kim.accounts.models import Role
from kim.register.audiences import KETUA, VILLAGE_HEAD, kim_audiences
from kim.reminders import recipients, registry
from kim.reminders.messages import when
from kim.reminders.registry import Moment, Recipient
from outreach.sessions.models import Session, SessionEvent

OFFICERS = registry.register_audience("officers", gettext_lazy("the agency's officers"))
RESOURCE_PERSONS = registry.register_audience("resource_persons", gettext_lazy("the resource persons"))

SESSION_START = "session_start"
SESSION_CHANGED = "session_changed"
EVERYONE = (OFFICERS, RESOURCE_PERSONS, KETUA, VILLAGE_HEAD)


def officers_of(sessions: list[Session]) -> dict[int, list[Recipient]]:
    """Each session's agency officers, by session id."""
    found = recipients.accounts_by("agency_id", {s.agency_id for s in sessions}, role=Role.OPD_OFFICER)
    return {session.pk: found.get(session.agency_id, []) for session in sessions}


def _resource_persons(sessions: list[Session]) -> dict[int, list[Recipient]]:
    return {
        session.pk: [
            Recipient(f"person:{p.pk}", p.name, email=p.email, phone=p.phone)
            for p in session.resource_persons.all()
        ]
        for session in sessions
    }


def _load(ids: list[int]) -> dict[int, Any]:
    kinds = [SessionEvent.Kind.RESCHEDULED, SessionEvent.Kind.CANCELLED]
    last_change = SessionEvent.objects.filter(session=OuterRef("pk"), kind__in=kinds).order_by("-at", "-id")
    sessions = Session.objects.select_related("kim__village", "agency", "topic").annotate(
        last_change_id=Subquery(last_change.values("id")[:1]),
        last_change_at=Subquery(last_change.values("at")[:1]),
    )
    return sessions.prefetch_related("resource_persons").in_bulk(ids)


def _page(pk: int) -> tuple[Session, str]:
    session = get_object_or_404(Session.objects.select_related("kim"), pk=pk)
    return session, f"{session.title} ({session.kim.name})"


def _titles(ids: list[int]) -> dict[int, str]:
    sessions = Session.objects.filter(pk__in=ids).values_list("pk", "title", "kim__name")
    return {pk: f"{title} ({kim})" for pk, title, kim in sessions}


registry.register_kind(
    registry.SubjectKind(
        name="session",
        model=Session,
        load=_load,
        audiences={
            OFFICERS: officers_of,
            RESOURCE_PERSONS: _resource_persons,
            **kim_audiences(lambda session: session.kim),
        },
        page=registry.Page(
            url_name="outreach:session_detail",
            label=gettext_lazy("Session #%(pk)s"),
            get=_page,
            titles=_titles,
        ),
    )
)


def session_details(session: Session) -> str:
    return _("%(title)s\n%(when)s\n%(venue)s, %(kim)s (Desa %(village)s)\nAgency: %(agency)s") % {
        "title": session.title,
        "when": when(session.starts_at),
        "venue": session.venue,
        "kim": session.kim.name,
        "village": session.kim.village.name,
        "agency": session.agency.short_name,
    }


def session_path(session: Session) -> str:
    return reverse("outreach:session_detail", args=[session.pk])


def _start_moment(session: Session, now: dt.datetime) -> Moment | None:
    if not session.is_planned:
        return None
    return Moment.of(session.starts_at)


def _start_message(row, session: Session) -> tuple[str, str, str]:
    days = (timezone.localdate(session.starts_at) - timezone.localdate(row.due_at)).days
    title = _("Reminder: %(title)s in %(days)s days (H-%(days)s)") % {"title": session.title, "days": days}
    if days <= 1:
        title = _("Reminder: %(title)s tomorrow (H-1)") % {"title": session.title}
    state = session.get_state_display()
    body = session_details(session) + "\n" + _("State: %(state)s.") % {"state": state}
    return title, body, session_path(session)


registry.register_trigger(
    registry.Trigger(
        value=SESSION_START,
        label=gettext_lazy("Before a session starts"),
        kind="session",
        audiences=EVERYONE,
        moment=_start_moment,
        compose=_start_message,
        open_subject_ids=lambda: Session.objects.filter(
            state__in=Session.PLANNED_STATES, starts_at__gt=timezone.now()
        ).values_list("pk", flat=True),
    )
)


def _change_moment(session, now: dt.datetime) -> Moment | None:
    if session.last_change_id is None:
        return None
    return Moment(session.last_change_at, f"event{session.last_change_id}")


def _change_message(row, session: Session) -> tuple[str, str, str]:
    if session.is_cancelled:
        title = _("Cancelled: %(title)s") % {"title": session.title}
        body = _("The session below was cancelled. Reason: %(reason)s") % {
            "reason": session.cancelled_reason or "-"
        }
    else:
        title = _("New date: %(title)s") % {"title": session.title}
        body = _("The session below was moved to a new date and time.")
    return title, body + "\n\n" + session_details(session), session_path(session)


registry.register_trigger(
    registry.Trigger(
        value=SESSION_CHANGED,
        label=gettext_lazy("A session is rescheduled or cancelled"),
        kind="session",
        audiences=EVERYONE,
        moment=_change_moment,
        compose=_change_message,
        on_change=True,
    )
)
