from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kim.home import selectors
from kim.lib.health import redis_answers
from kim.reminders.models import Heartbeat
from outreach.reports import selectors as report_selectors
from outreach.sessions import selectors as session_selectors


@require_GET
def home(request):
    user = request.user
    if user.is_leader:
        # Pimpinan land on the programme's dashboard: what they come to read.
        return redirect("dashboard:index")
    sessions = {
        "upcoming_sessions": session_selectors.upcoming_sessions(user),
        "sessions_to_confirm": session_selectors.sessions_awaiting_confirmation(user),
        "reports_owed": report_selectors.reports_owed(user),
    }
    if user.is_dinkominfo:
        return render(request, "kim/home_staff.html", {**selectors.staff_home(), **sessions})
    if user.is_village_head:
        return render(
            request, "kim/home_village_head.html", {**selectors.village_head_home(user), **sessions}
        )
    if user.is_opd_officer:
        return render(request, "kim/home_opd_officer.html", {**selectors.opd_officer_home(user), **sessions})
    # RoleRequiredMiddleware already turns away an account without a role; none ever falls to a staff page.
    raise PermissionDenied


@login_not_required
@never_cache
@require_GET
def health(request):
    """For load balancers and monitoring: the database, Redis and the beat, each on its own.

    503 only when the database does not answer: without it nothing works, while without Redis (or with a
    stalled beat) every page still serves and saves, and only reminders wait. That is "degraded", with 200,
    so that a load balancer keeps sending people to the app and monitoring still sees which part is down.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse(
            {"status": "error", "database": "unavailable", "redis": _redis_state(), "beat": "unknown"},
            status=503,
        )
    heartbeat = Heartbeat.objects.filter(name="beat").first()
    age = round((timezone.now() - heartbeat.beat_at).total_seconds()) if heartbeat else None
    beat = "missing" if heartbeat is None else ("stale" if heartbeat.is_stale else "ok")
    redis = _redis_state()
    status = "ok" if beat == "ok" and redis in {"ok", "not used"} else "degraded"
    return JsonResponse(
        {"status": status, "database": "ok", "redis": redis, "beat": beat, "beat_age_seconds": age}
    )


def _redis_state() -> str:
    if not settings.REDIS_URL:
        return "not used"  # development: the broker is on the file system
    return "ok" if redis_answers(settings.REDIS_URL, settings.REDIS_TIMEOUT_SECONDS) else "unavailable"
