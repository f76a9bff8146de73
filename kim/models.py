"""The kim app's models, each kept in its feature room; Django finds them through this module."""

from kim.accounts.models import Role, User
from kim.audit.models import Change
from kim.documents.models import CheckAttempt, DocumentCounter, IssuedDocument
from kim.downloads.models import ExportJob
from kim.formation.models import Formation, FormationEvent, Step, Target
from kim.mentoring.models import Visit, VisitPhoto
from kim.office.models import Office, Signatory
from kim.register.models import DevelopmentLevel, Kim, Member
from kim.reminders.models import Heartbeat, Reminder, ReminderRule

__all__ = [
    "Change",
    "CheckAttempt",
    "DevelopmentLevel",
    "DocumentCounter",
    "ExportJob",
    "Formation",
    "FormationEvent",
    "Heartbeat",
    "IssuedDocument",
    "Kim",
    "Member",
    "Office",
    "Reminder",
    "ReminderRule",
    "Role",
    "Signatory",
    "Step",
    "Target",
    "User",
    "Visit",
    "VisitPhoto",
]
