"""The kim app's models, each kept in its feature room; Django finds them through this module."""

from kim.accounts.models import Role, User
from kim.audit.models import Change
from kim.formation.models import Formation, FormationEvent, Step, Target
from kim.mentoring.models import Visit, VisitPhoto
from kim.register.models import DevelopmentLevel, Kim, Member
from kim.reminders.models import Heartbeat, Reminder, ReminderRule

__all__ = [
    "Change",
    "DevelopmentLevel",
    "Formation",
    "FormationEvent",
    "Heartbeat",
    "Kim",
    "Member",
    "Reminder",
    "ReminderRule",
    "Role",
    "Step",
    "Target",
    "User",
    "Visit",
    "VisitPhoto",
]
