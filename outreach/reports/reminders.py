"""Reminders about what a session leaves behind: its report, owed once it has ended, and each follow-up
action, due on its date and overdue until done. A follow-up is listed on its session's page."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kim.reminders import recipients, registry
from kim.reminders.messages import day, when
from kim.reminders.registry import Moment, Recipient
from outreach.reports.models import FollowUp
from outreach.sessions.models import Session
from outreach.sessions.reminders import OFFICERS, officers_of, session_details, session_path

OWNER = registry.register_audience("owner", gettext_lazy("the follow-up's owner"))

REPORT_OWED = "report_owed"
FOLLOW_UP_DUE = "follow_up_due"


def _report_moment(session: Session, now: dt.datetime) -> Moment | None:
    """A report is owed from the session's end (SessionQuerySet.report_owed), until it is recorded."""
    if not session.awaits_report:
        return None
    return Moment.of(session.ends_at)


def _report_message(row, session: Session) -> tuple[str, str, str]:
    title = _("Report owed: %(title)s") % {"title": session.title}
    body = _(
        "The session was held on %(when)s and has no report yet. Please record the attendance, minutes "
        "and follow-up actions."
    ) % {"when": when(session.starts_at)}
    return (
        title,
        body + "\n\n" + session_details(session),
        reverse("outreach:session_report", args=[session.pk]),
    )


registry.register_trigger(
    registry.Trigger(
        value=REPORT_OWED,
        label=gettext_lazy("After a session ends, until its report is recorded"),
        kind="session",
        audiences=(OFFICERS,),
        moment=_report_moment,
        compose=_report_message,
        open_subject_ids=lambda: Session.objects.filter(state__in=Session.AWAITING_REPORT).values_list(
            "pk", flat=True
        ),
        repeatable=True,
    )
)


def _owner(follow_ups: list[FollowUp]) -> dict[int, list[Recipient]]:
    """The owner's account if they have one, or else their phone (for WhatsApp)."""
    found: dict[int, list[Recipient]] = {}
    for follow_up in follow_ups:
        user = follow_up.owner_user
        if user is not None:
            found[follow_up.pk] = [recipients.account(user)] if user.is_active else []
        elif follow_up.owner_phone:
            found[follow_up.pk] = [
                Recipient(f"owner:{follow_up.pk}", follow_up.owner, phone=follow_up.owner_phone)
            ]
    return found


def _officers(follow_ups: list[FollowUp]) -> dict[int, list[Recipient]]:
    by_session = officers_of([follow_up.session for follow_up in follow_ups])
    return {follow_up.pk: by_session[follow_up.session_id] for follow_up in follow_ups}


registry.register_kind(
    registry.SubjectKind(
        name="follow_up",
        model=FollowUp,
        load=lambda ids: FollowUp.objects.select_related(
            "session__kim__village", "session__agency", "owner_user"
        ).in_bulk(ids),
        audiences={OWNER: _owner, OFFICERS: _officers},
        concerns=lambda follow_up: f"session:{follow_up.session_id}",
        part_label=gettext_lazy("follow-up #%(pk)s"),
    )
)


def _due_moment(follow_up: FollowUp, now: dt.datetime) -> Moment | None:
    if follow_up.done_on is not None or follow_up.session.is_cancelled:
        return None
    return Moment.morning_of(follow_up.due_on)


def _due_message(row, follow_up: FollowUp) -> tuple[str, str, str]:
    values = {"action": follow_up.action, "day": day(follow_up.due_on)}
    if timezone.localdate(row.due_at) <= follow_up.due_on:
        title = _("Follow-up due %(day)s: %(action)s") % values
    else:
        title = _("Follow-up overdue since %(day)s: %(action)s") % values
    body = _("Owner: %(owner)s. Agreed at the session: %(session)s (%(kim)s).") % {
        "owner": follow_up.owner,
        "session": follow_up.session.title,
        "kim": follow_up.session.kim.name,
    }
    return title, body, session_path(follow_up.session)


registry.register_trigger(
    registry.Trigger(
        value=FOLLOW_UP_DUE,
        label=gettext_lazy("A follow-up action's due date, until it is done"),
        kind="follow_up",
        audiences=(OWNER, OFFICERS),
        moment=_due_moment,
        compose=_due_message,
        open_subject_ids=lambda: FollowUp.objects.open().values_list("pk", flat=True),
        repeatable=True,
    )
)
