from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kim.home import selectors
from kim.reminders.models import Heartbeat
from outreach.reports import selectors as report_selectors
from outreach.sessions import selectors as session_selectors


@require_GET
def home(request):
    user = request.user
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
    """For load balancers and monitoring: 200 while the database answers; says whether the beat is alive."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    heartbeat = Heartbeat.objects.filter(name="beat").first()
    age = round((timezone.now() - heartbeat.beat_at).total_seconds()) if heartbeat else None
    beat = "missing" if heartbeat is None else ("stale" if heartbeat.is_stale else "ok")
    return JsonResponse({"status": "ok", "database": "ok", "beat": beat, "beat_age_seconds": age})
