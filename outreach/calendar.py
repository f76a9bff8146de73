"""The session calendar: which days a month, week or agenda view covers, and the sessions on them."""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

WIB = ZoneInfo(settings.TIME_ZONE)
AGENDA_DAYS = 31


@dataclass
class Day:
    date: dt.date
    in_range: bool
    sessions: list = field(default_factory=list)


@dataclass
class CalendarRange:
    view: str
    first: dt.date  # first day shown
    last: dt.date  # last day shown
    anchor: dt.date
    previous: dt.date
    next: dt.date

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time.min, tzinfo=WIB)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time.min, tzinfo=WIB)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def calendar_range(view: str, anchor: dt.date) -> CalendarRange:
    """Weeks start on Senin (Monday). A month shows whole weeks around it; an agenda the next 31 days."""
    if view == "week":
        first = _monday(anchor)
        return CalendarRange(
            view,
            first,
            first + dt.timedelta(days=6),
            anchor,
            anchor - dt.timedelta(days=7),
            anchor + dt.timedelta(days=7),
        )
    if view == "agenda":
        return CalendarRange(
            view,
            anchor,
            anchor + dt.timedelta(days=AGENDA_DAYS - 1),
            anchor,
            anchor - dt.timedelta(days=AGENDA_DAYS),
            anchor + dt.timedelta(days=AGENDA_DAYS),
        )
    month_start = anchor.replace(day=1)
    next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
    previous_month = (month_start - dt.timedelta(days=1)).replace(day=1)
    last_of_month = next_month - dt.timedelta(days=1)
    first = _monday(month_start)
    last = _monday(last_of_month) + dt.timedelta(days=6)
    return CalendarRange("month", first, last, month_start, previous_month, next_month)


def calendar_days(span: CalendarRange, sessions) -> list[Day]:
    """Every day of the range with the sessions that start on it (in WIB)."""
    days = {}
    day = span.first
    while day <= span.last:
        in_range = span.view != "month" or day.month == span.anchor.month
        days[day] = Day(day, in_range)
        day += dt.timedelta(days=1)
    for session in sessions:
        local_day = session.starts_at.astimezone(WIB).date()
        if local_day in days:
            days[local_day].sessions.append(session)
    return list(days.values())


def weeks(days: list[Day]) -> list[list[Day]]:
    return [days[i : i + 7] for i in range(0, len(days), 7)]
