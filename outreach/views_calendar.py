import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kim.access import REGISTRY_READERS, role_required
from outreach.calendar import calendar_days, calendar_range, first_of_each_day, totals_by_day, weeks
from outreach.forms_calendar import CalendarFilter
from outreach.forms_sessions import FIRST_YEAR, LAST_YEAR
from outreach.models import Session

VIEWS = ("month", "week", "agenda")


def _anchor(value: str | None) -> dt.date:
    """The day asked for, or today for anything else: a malformed date, or one so far off (9999-12-31) that
    the weeks around it would run past the calendar's end."""
    try:
        day = dt.date.fromisoformat(value) if value else None
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        return timezone.localdate()
    return day


@require_GET
@role_required(*REGISTRY_READERS)
def session_calendar(request):
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "month"
    span = calendar_range(view, _anchor(request.GET.get("date")))
    sessions = Session.objects.for_user(request.user).select_related("kim__village", "agency", "topic")
    session_filter = CalendarFilter(request.GET or None, queryset=sessions)
    in_range = session_filter.qs.filter(starts_at__gte=span.starts_at, starts_at__lt=span.ends_at)
    days = calendar_days(span, first_of_each_day(in_range, span), totals_by_day(in_range))
    query = request.GET.copy()
    for name in ("view", "date"):
        query.pop(name, None)
    context = {
        "filter": session_filter,
        "span": span,
        "days": days,
        "weeks": weeks(days) if view == "month" else None,
        "busy_days": [day for day in days if day.sessions],
        "query": query.urlencode(),
        "views": VIEWS,
    }
    return render(request, "outreach/calendar.html", context)
