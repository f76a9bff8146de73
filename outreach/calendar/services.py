"""Each user's private iCalendar feed: its secret link, and the feed itself built with `icalendar`."""

import datetime as dt
import secrets
from collections.abc import Iterable

import icalendar
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kim.accounts.models import User
from kim.lib.regency import app_title, regency_name
from outreach.calendar.models import CalendarFeed
from outreach.sessions.models import Session

# Phones keep showing what happened lately; older sessions would only make every refresh heavier.
FEED_DAYS_BACK = 60
UID_DOMAIN = "kim.purbalinggakab.go.id"
FEED_TIME_ZONE = "Asia/Jakarta"
# How often calendar apps that honour the hint fetch the feed again.
REFRESH_INTERVAL = dt.timedelta(hours=1)

# Only a session the village has agreed to is certain; one still proposed may move.
_EVENT_STATUS = {
    Session.State.PROPOSED: "TENTATIVE",
    Session.State.CONFIRMED: "CONFIRMED",
    Session.State.HELD: "CONFIRMED",
    Session.State.REPORTED: "CONFIRMED",
}


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


@transaction.atomic
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """Give the user a new secret link; the old one stops working at once."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return CalendarFeed.objects.create(user=user, token=_new_token())
    feed.token = _new_token()
    feed.renewed_at = timezone.now()
    feed.save(update_fields=["token", "renewed_at"])
    return feed


def calendar_feed_owner(token: str) -> User | None:
    """The active user whose feed this token opens, or None."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    # The lookup found the row through the index; the comparison itself must not depend on the database's
    # collation (a case-insensitive one would accept a token with its letters' case changed).
    if feed is None or not secrets.compare_digest(feed.token.encode(), token.encode()):
        return None
    return feed.user if feed.user.is_active else None


def feed_sessions(user: User, now: dt.datetime | None = None) -> QuerySet[Session]:
    """The sessions that concern the user, not cancelled, from FEED_DAYS_BACK days ago on: one query."""
    since = (now or timezone.now()) - dt.timedelta(days=FEED_DAYS_BACK)
    return (
        Session.objects.for_user(user)
        .still_on()
        .filter(starts_at__gte=since)
        .select_related("agency", "topic", "kim__village__district")
        .order_by("starts_at", "id")
    )


def _location(session: Session) -> str:
    village = session.kim.village
    return ", ".join([session.venue, village.name, village.district.name])


def _description(session: Session) -> str:
    lines = [
        _("Topic: %(topic)s") % {"topic": session.topic_name or "—"},
        _("Agency: %(agency)s") % {"agency": session.agency.name},
        _("KIM: %(kim)s") % {"kim": session.kim.name},
        _("State: %(state)s") % {"state": session.get_state_display()},
    ]
    return "\n".join(lines)


def _event(session: Session, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"session-{session.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    # Aware datetimes in UTC (as stored) are written with a Z: every calendar app reads them the same way.
    event.add("dtstart", session.starts_at.astimezone(dt.UTC))
    event.add("dtend", session.ends_at.astimezone(dt.UTC))
    event.add("summary", session.title)
    event.add("location", _location(session))
    event.add("description", _description(session))
    event.add("status", _EVENT_STATUS[Session.State(session.state)])
    return event


def calendar_feed_ical(*, user: User, sessions: Iterable[Session], now: dt.datetime | None = None) -> bytes:
    """The iCalendar text of the user's feed, with one event per session."""
    stamp = (now or timezone.now()).astimezone(dt.UTC)
    calendar = icalendar.Calendar()
    # The product's name, as the deployment names itself: another regency's feed carries its own.
    calendar.add("prodid", f"-//Dinkominfo {regency_name()}//{app_title()}//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("%(app)s sessions: %(name)s") % {"app": app_title(), "name": user})
    calendar.add("x-wr-timezone", FEED_TIME_ZONE)
    calendar.refresh_interval = REFRESH_INTERVAL
    # Outlook reads its own name for the same hint.
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    for session in sessions:
        calendar.add_component(_event(session, stamp))
    return calendar.to_ical()
