"""Reads about session reports."""

from django.utils import timezone

from outreach.sessions.models import Session
from outreach.sessions.selectors import UPCOMING_LIMIT


def reports_owed(user) -> list[Session]:
    """Sessions whose time has passed without a report: confirmed ones not yet marked held, and held ones
    whose report is still to be recorded. For the agency's officers (and staff: all of them)."""
    if not (user.is_dinkominfo or user.is_opd_officer):
        return []
    sessions = (
        Session.objects.for_user(user)
        .filter(state__in=[Session.State.CONFIRMED, Session.State.HELD], starts_at__lt=timezone.now())
        .select_related("kim__village", "agency")
        .order_by("starts_at", "id")
    )
    return list(sessions[:UPCOMING_LIMIT])
