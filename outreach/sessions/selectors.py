"""Access to sessions: views reach them only through these helpers; and the lists on the home pages."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kim.accounts.access import answers_for_village, heads_village, manages_agency
from outreach.sessions.models import Session


def sessions_for_user(user):
    """The sessions the user may open, as a session's page reads them (with what the page shows of its agency,
    KIM, village, topic and proposer): staff and leaders any; an officer their agency's; a village head those
    in their village's KIM. What a session's documents are made from too (outreach.reports.documents)."""
    return Session.objects.for_user(user).select_related(
        "agency", "kim__village__district", "topic", "proposed_by"
    )


def get_session_for_user(user, session_id: int) -> Session:
    """The session if the user may see it; 404 otherwise."""
    return get_object_or_404(sessions_for_user(user), pk=session_id)


def can_read_session(user, session: Session) -> bool:
    """The rule of SessionQuerySet.for_user for one session already at hand (no query)."""
    if user.reads_programme:
        return True
    if user.is_opd_officer:
        return session.agency_id == user.agency_id
    return heads_village(user, session.kim.village_id)


def can_manage_session(user, session: Session) -> bool:
    """Who changes, reschedules, cancels and reports a session: the rule for its agency's work."""
    return manages_agency(user, session.agency_id)


def can_confirm_session(user, session: Session) -> bool:
    """Who confirms the date and venue or asks for another: the rule for what is proposed in a village."""
    return answers_for_village(user, session.kim.village_id)


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
        .still_on()
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
        .awaiting_confirmation()
        .select_related("kim__village", "agency")
        .order_by("starts_at", "id")
    )
    return list(sessions[:UPCOMING_LIMIT])
