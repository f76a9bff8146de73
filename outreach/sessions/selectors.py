"""Access to sessions: views reach them only through these helpers; and the lists on the home pages."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from outreach.sessions.models import Session


def get_session_for_user(user, session_id: int) -> Session:
    """The session if the user may see it (staff: any; an officer: their agency's; a village head: those
    in their village's KIM); 404 otherwise."""
    sessions = Session.objects.for_user(user).select_related(
        "agency", "kim__village__district", "topic", "proposed_by"
    )
    return get_object_or_404(sessions, pk=session_id)


def can_manage_session(user, session: Session) -> bool:
    """Staff, and officers of the session's own agency, change, reschedule, cancel and report it."""
    return user.is_dinkominfo or (user.is_opd_officer and user.agency_id == session.agency_id)


def can_confirm_session(user, session: Session) -> bool:
    """Staff, and the head of the KIM's village, confirm the date and venue or ask for another date."""
    return user.is_dinkominfo or (user.is_village_head and user.village_id == session.kim.village_id)


def get_managed_session(user, session_id: int) -> Session:
    session = get_session_for_user(user, session_id)
    if not can_manage_session(user, session):
        raise PermissionDenied
    return session


UPCOMING_DAYS = 30
UPCOMING_LIMIT = 10


def upcoming_sessions(user) -> list[Session]:
    """The sessions that concern the user in the coming 30 days, soonest first (at most ten)."""
    now = timezone.now()
    sessions = (
        Session.objects.for_user(user)
        .exclude(state=Session.State.CANCELLED)
        .filter(starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=UPCOMING_DAYS))
        .select_related("kim__village", "agency")
        .order_by("starts_at", "id")
    )
    return list(sessions[:UPCOMING_LIMIT])


def sessions_awaiting_confirmation(user) -> list[Session]:
    """Proposed sessions in the village head's KIM that wait for their answer."""
    if not user.is_village_head:
        return []
    sessions = (
        Session.objects.for_user(user)
        .filter(state=Session.State.PROPOSED, starts_at__gte=timezone.now(), date_request="")
        .select_related("kim__village", "agency")
        .order_by("starts_at", "id")
    )
    return list(sessions[:UPCOMING_LIMIT])
