from kim.models.accounts import Role, User
from kim.models.formation import Formation, FormationEvent, Step, Target
from kim.models.groups import DevelopmentLevel, Kim, Member
from kim.models.mentoring import Visit, VisitPhoto
from kim.models.reminders import Reminder, ReminderRule
from kim.models.system import Heartbeat

__all__ = [
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
