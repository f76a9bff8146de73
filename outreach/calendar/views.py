"""The private iCalendar feed: a page with the user's secret link, its renewal, and the feed itself."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from kim.accounts.access import leader_may_post, reader_required
from kim.lib.dates import in_year_range
from outreach.calendar import services
from outreach.calendar.filters import CalendarFilter
from outreach.calendar.selectors import calendar_days, calendar_range, first_of_each_day, totals_by_day, weeks
from outreach.sessions.models import Session

VIEWS = ("month", "week", "agenda")


def _anchor(value: str | None) -> dt.date:
    """The day asked for, or today for anything else: a malformed date, or one so far off (9999-12-31) that
    the weeks around it would run past the calendar's end."""
    try:
        day = dt.date.fromisoformat(value) if value else None
    except ValueError:
        day = None
    if day is None or not in_year_range(day.year):
        return timezone.localdate()
    return day


@require_GET
@reader_required
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


@require_GET
def calendar_subscription(request):
    feed = services.calendar_feed_get_or_create(user=request.user)
    https_url = request.build_absolute_uri(reverse("outreach:calendar_feed", args=[feed.token]))
    # Phones hand a webcal:// link to their calendar app, which subscribes instead of downloading once.
    webcal_url = "webcal://" + https_url.split("://", 1)[1]
    return render(
        request,
        "outreach/calendar_subscription.html",
        {"feed": feed, "https_url": https_url, "webcal_url": webcal_url},
    )


@require_POST
@leader_may_post
def calendar_renew(request):
    services.calendar_feed_renew(user=request.user)
    messages.success(request, _("Your calendar link was renewed. The old link no longer works."))
    return redirect("outreach:calendar_subscription")


@login_not_required
@require_safe
def calendar_feed(request, token):
    """Opened by calendar apps, which cannot sign in: the secret token stands in for the session."""
    user = services.calendar_feed_owner(token)
    if user is None:
        raise Http404
    body = services.calendar_feed_ical(user=user, sessions=services.feed_sessions(user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kim-purbalingga.ics"'
    # The link is the only secret: keep the feed out of shared caches and search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
