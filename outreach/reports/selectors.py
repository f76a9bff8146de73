"""Reads about session reports."""

from kim.accounts.access import is_planner
from outreach.sessions.models import Session
from outreach.sessions.selectors import UPCOMING_LIMIT


def reports_owed(user) -> list[Session]:
    """Sessions over without a report (SessionQuerySet.report_owed): confirmed ones not yet marked held, and
    held ones whose report is still to be recorded. For the agency's officers (and staff: all of them)."""
    if not is_planner(user):
        return []
    sessions = (
        Session.objects.for_user(user)
        .report_owed()
        .select_related("kim__village", "agency")
        .order_by("starts_at", "id")
    )
    return list(sessions[:UPCOMING_LIMIT])
