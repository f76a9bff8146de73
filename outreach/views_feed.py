"""The private iCalendar feed: a page with the user's secret link, its renewal, and the feed itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from outreach import services_feed as services


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
