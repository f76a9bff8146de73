"""The weekly digest for staff: the week ahead and what is overdue across the regency, Monday 07:00 WIB."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kim.formation.models import Formation
from kim.reminders import recipients, registry
from kim.reminders.messages import when
from kim.reminders.registry import WIB, Moment
from outreach.reports.models import FollowUp
from outreach.sessions.models import Session

STAFF = registry.register_audience("staff", gettext_lazy("Dinkominfo staff"))

WEEKLY_DIGEST = "weekly_digest"
DIGEST_DAY_START = dt.time(7)


class Digest:
    """The weekly digest has no row of its own: there is one, always."""

    pk = 0


registry.register_kind(
    registry.SubjectKind(
        name="digest",
        model=Digest,
        load=lambda ids: {0: Digest()} if 0 in ids else {},
        audiences={STAFF: lambda digests: {digest.pk: recipients.staff() for digest in digests}},
        standing_ids=(Digest.pk,),
    )
)


def _this_monday(digest: Digest, now: dt.datetime) -> Moment:
    """This week's Monday morning, or next week's once this one is more than a moment past."""
    today = timezone.localdate(now)
    monday = today - dt.timedelta(days=today.weekday())
    start = dt.datetime.combine(monday, DIGEST_DAY_START, tzinfo=WIB)
    return Moment.of(start if start >= now - dt.timedelta(minutes=10) else start + dt.timedelta(days=7))


def _digest_message(row, digest: Digest) -> tuple[str, str, str]:
    """The week ahead and what is overdue across the regency, as counts and the first few of each."""
    now = timezone.now()
    week_end = now + dt.timedelta(days=7)
    sessions = (
        Session.objects.still_on()
        .filter(starts_at__gte=now, starts_at__lt=week_end)
        .select_related("kim")
        .order_by("starts_at")
    )
    owed = Session.objects.report_owed(now)
    overdue = FollowUp.objects.overdue(timezone.localdate(now))
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
        *(f"- {when(s.starts_at)}: {s.title} ({s.kim.name})" for s in sessions[:10]),
        _("Reports owed: %(owed)s") % counts,
        _("Follow-up actions overdue: %(overdue)s") % counts,
        _("New groups waiting for the village head's confirmation: %(waiting)s") % counts,
    ]
    return title, "\n".join(lines), reverse("home:index")


registry.register_trigger(
    registry.Trigger(
        value=WEEKLY_DIGEST,
        label=gettext_lazy("Weekly digest for staff"),
        kind="digest",
        audiences=(STAFF,),
        moment=_this_monday,
        compose=_digest_message,
        open_subject_ids=lambda: [Digest.pk],
    )
)
