"""The session calendar: which days a month, week or agenda view covers, and the sessions on them."""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber, TruncDate

WIB = ZoneInfo(settings.TIME_ZONE)
AGENDA_DAYS = 31
# At most this many sessions are listed on one day; the day says how many more there are. Across the
# whole country a month holds some 24,000 sessions, far more than any page should draw.
PER_DAY = 6


@dataclass
class Day:
    date: dt.date
    in_range: bool
    sessions: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.sessions))


@dataclass
class CalendarRange:
    view: str
    first: dt.date  # first day shown
    last: dt.date  # last day shown
    anchor: dt.date
    previous: dt.date
    next: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

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


def local_day():
    return TruncDate("starts_at", tzinfo=WIB)


def first_of_each_day(sessions, span: CalendarRange):
    """The first PER_DAY sessions of each day (in WIB), in one query; `sessions` all start within the span."""
    rank = Window(RowNumber(), partition_by=[local_day()], order_by=[F("starts_at").asc(), F("id").asc()])
    # Rank bare ids (an index-only scan of (starts_at, id)), then join only the rows chosen. The limit is never
    # reached: it tells PostgreSQL how few ids come back, or it joins every session of the span before ranking.
    ranked = sessions.annotate(day_rank=rank).filter(day_rank__lte=PER_DAY).values("id")
    return sessions.filter(id__in=ranked[: PER_DAY * span.days]).order_by("starts_at", "id")


def totals_by_day(sessions) -> dict[dt.date, int]:
    rows = sessions.annotate(day=local_day()).order_by().values("day").annotate(total=Count("id"))
    return {row["day"]: row["total"] for row in rows}


def calendar_days(span: CalendarRange, sessions, totals: dict[dt.date, int]) -> list[Day]:
    """Every day of the range with the sessions that start on it (in WIB) and how many there are."""
    days = {}
    day = span.first
    while day <= span.last:
        in_range = span.view != "month" or day.month == span.anchor.month
        days[day] = Day(day, in_range, total=totals.get(day, 0))
        day += dt.timedelta(days=1)
    for session in sessions:
        local_day = session.starts_at.astimezone(WIB).date()
        if local_day in days:
            days[local_day].sessions.append(session)
    return list(days.values())


def weeks(days: list[Day]) -> list[list[Day]]:
    return [days[i : i + 7] for i in range(0, len(days), 7)]
