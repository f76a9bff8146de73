"""The words of each reminder, written when it is sent (so they say how things stand then), in Indonesian."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kim.formation.models import Formation
from kim.register.models import Kim
from kim.reminders.models import Reminder, Trigger
from outreach.reports.models import FollowUp
from outreach.sessions.models import Session


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str  # absolute, so that it works from an email or a WhatsApp message

    def as_text(self) -> str:
        return f"{self.title}\n\n{self.body}\n\n{self.url}"


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "l, j F Y, H:i") + " WIB"


def _day(day: dt.date) -> str:
    return formats.date_format(day, "l, j F Y")


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def compose(row: Reminder, subject) -> Message:
    with translation.override(settings.LANGUAGE_CODE):
        title, body, path = _WRITERS[row.trigger](row, subject)
        return Message(title[:200], body, _absolute(path))


def _session_details(session: Session) -> str:
    return _("%(title)s\n%(when)s\n%(venue)s, %(kim)s (Desa %(village)s)\nAgency: %(agency)s") % {
        "title": session.title,
        "when": _when(session.starts_at),
        "venue": session.venue,
        "kim": session.kim.name,
        "village": session.kim.village.name,
        "agency": session.agency.short_name,
    }


def _session_path(session: Session) -> str:
    return reverse("outreach:session_detail", args=[session.pk])


def _session_start(row: Reminder, session: Session):
    days = (timezone.localdate(session.starts_at) - timezone.localdate(row.due_at)).days
    title = _("Reminder: %(title)s in %(days)s days (H-%(days)s)") % {"title": session.title, "days": days}
    if days <= 1:
        title = _("Reminder: %(title)s tomorrow (H-1)") % {"title": session.title}
    state = session.get_state_display()
    body = _session_details(session) + "\n" + _("State: %(state)s.") % {"state": state}
    return title, body, _session_path(session)


def _session_changed(row: Reminder, session: Session):
    if session.state == Session.State.CANCELLED:
        title = _("Cancelled: %(title)s") % {"title": session.title}
        body = _("The session below was cancelled. Reason: %(reason)s") % {
            "reason": session.cancelled_reason or "-"
        }
    else:
        title = _("New date: %(title)s") % {"title": session.title}
        body = _("The session below was moved to a new date and time.")
    return title, body + "\n\n" + _session_details(session), _session_path(session)


def _report_owed(row: Reminder, session: Session):
    title = _("Report owed: %(title)s") % {"title": session.title}
    body = _(
        "The session was held on %(when)s and has no report yet. Please record the attendance, minutes "
        "and follow-up actions."
    ) % {"when": _when(session.starts_at)}
    return (
        title,
        body + "\n\n" + _session_details(session),
        reverse("outreach:session_report", args=[session.pk]),
    )


def _follow_up_due(row: Reminder, follow_up: FollowUp):
    values = {"action": follow_up.action, "day": _day(follow_up.due_on)}
    if timezone.localdate(row.due_at) <= follow_up.due_on:
        title = _("Follow-up due %(day)s: %(action)s") % values
    else:
        title = _("Follow-up overdue since %(day)s: %(action)s") % values
    body = _("Owner: %(owner)s. Agreed at the session: %(session)s (%(kim)s).") % {
        "owner": follow_up.owner,
        "session": follow_up.session.title,
        "kim": follow_up.session.kim.name,
    }
    return title, body, _session_path(follow_up.session)


def _confirmation_awaited(row: Reminder, formation: Formation):
    village = formation.target.village.name
    title = _("Please confirm the KIM of Desa %(village)s") % {"village": village}
    body = _(
        "%(kim)s and its officers, chosen at the village meeting, wait for your confirmation. Open the link "
        "to confirm them or send them back with a reason."
    ) % {"kim": formation.kim.name if formation.kim else village}
    return title, body, reverse("formation_detail", args=[formation.pk])


def _formation_stalled(row: Reminder, formation: Formation):
    values = {
        "village": formation.target.village.name,
        "step": formation.get_step_display(),
        "day": _day(timezone.localdate(formation.step_changed_at)),
    }
    title = _("KIM formation in Desa %(village)s has not moved") % values
    body = _("The last step (%(step)s) was recorded on %(day)s.") % values
    return title, body, reverse("formation_detail", args=[formation.pk])


def _visit_due(row: Reminder, kim: Kim):
    since = kim.last_visit_on or kim.founded_on
    title = _("%(kim)s is due a mentoring visit") % {"kim": kim.name}
    if since:
        body = _("The last visit was on %(day)s.") % {"day": _day(since)}
    else:
        body = _("It has not been visited yet.")
    return title, body, reverse("kim_detail", args=[kim.pk])


def _term_ending(row: Reminder, member):
    values = {
        "name": member.name,
        "position": member.get_position_display(),
        "kim": member.kim.name,
        "day": _day(member.term_end),
    }
    title = _("Term ends %(day)s: %(name)s, %(position)s of %(kim)s") % values
    body = _("Plan the election or reappointment of the %(position)s of %(kim)s.") % values
    return title, body, reverse("kim_detail", args=[member.kim_id])


def _weekly_digest(row: Reminder, digest):
    """The week ahead and what is overdue across the regency, as counts and the first few of each."""
    now = timezone.now()
    week_end = now + dt.timedelta(days=7)
    sessions = (
        Session.objects.exclude(state=Session.State.CANCELLED)
        .filter(starts_at__gte=now, starts_at__lt=week_end)
        .select_related("kim")
        .order_by("starts_at")
    )
    owed = Session.objects.filter(
        state__in=[Session.State.CONFIRMED, Session.State.HELD], ends_at__lt=now - dt.timedelta(days=1)
    )
    overdue = FollowUp.objects.open().filter(due_on__lt=timezone.localdate(now))
    waiting = Formation.objects.awaiting_confirmation()
    counts = {
        "sessions": sessions.count(),
        "owed": owed.count(),
        "overdue": overdue.count(),
        "waiting": waiting.count(),
    }
    title = _("Weekly digest: %(sessions)s sessions this week, %(owed)s reports owed") % counts
    lines = [
        _("Sessions in the coming seven days: %(sessions)s") % counts,
        *(f"- {_when(s.starts_at)}: {s.title} ({s.kim.name})" for s in sessions[:10]),
        _("Reports owed: %(owed)s") % counts,
        _("Follow-up actions overdue: %(overdue)s") % counts,
        _("New groups waiting for the village head's confirmation: %(waiting)s") % counts,
    ]
    return title, "\n".join(lines), reverse("home")


_WRITERS: dict[str, Callable[[Reminder, Any], tuple[str, str, str]]] = {
    Trigger.SESSION_START: _session_start,
    Trigger.SESSION_CHANGED: _session_changed,
    Trigger.REPORT_OWED: _report_owed,
    Trigger.FOLLOW_UP_DUE: _follow_up_due,
    Trigger.CONFIRMATION_AWAITED: _confirmation_awaited,
    Trigger.FORMATION_STALLED: _formation_stalled,
    Trigger.VISIT_DUE: _visit_due,
    Trigger.TERM_ENDING: _term_ending,
    Trigger.WEEKLY_DIGEST: _weekly_digest,
}
