"""The outreach app's models, each kept in its feature room; Django finds them through this module."""

from outreach.calendar.models import CalendarFeed
from outreach.directory.models import Agency, ResourcePerson, Topic
from outreach.reports.models import Attendee, FollowUp, SessionPhoto, SessionReport
from outreach.sessions.models import Session, SessionEvent

__all__ = [
    "Agency",
    "Attendee",
    "CalendarFeed",
    "FollowUp",
    "ResourcePerson",
    "Session",
    "SessionEvent",
    "SessionPhoto",
    "SessionReport",
    "Topic",
]
