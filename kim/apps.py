from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The features that keep reminders, each registering its subject kinds and triggers from its reminders.py;
# the order here is the order staff see the triggers in.
REMINDER_FEATURES = [
    "outreach.sessions",
    "outreach.reports",
    "kim.formation",
    "kim.register",
    "kim.home",
    "kim.downloads",
]

# The features whose pages offer downloads, each registering its export kinds from its exports.py
# (kim.downloads.registry); the order here is the order the Downloads page knows them in.
EXPORT_FEATURES: list[str] = [
    "villages",
    "kim.register",
    "kim.formation",
    "outreach.sessions",
    "kim.recap",
]

# The features whose records make documents, each registering its document kinds from its documents.py
# (kim.documents.registry); the order here is the order a page lists them in.
DOCUMENT_FEATURES: list[str] = ["outreach.reports", "kim.formation", "kim.mentoring"]


class KimConfig(AppConfig):
    name = "kim"
    verbose_name = _("KIM groups and accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed
        from simple_history.signals import post_create_historical_record

        from kim.accounts.middleware import stamp_signed_in
        from kim.audit.services import record_change, record_m2m_change
        from kim.mentoring.models import Visit
        from kim.register.models import Kim
        from outreach.directory.models import ResourcePerson
        from outreach.sessions.models import Session

        # Signing in starts the session's idle and maximum-age clocks (kim.accounts.middleware).
        user_logged_in.connect(stamp_signed_in, dispatch_uid="kim.accounts.stamp_signed_in")
        # Every historical record django-simple-history writes is indexed on the audit trail (kim.audit).
        post_create_historical_record.connect(record_change, dispatch_uid="kim.audit.record_change")
        # And so are the changes of the many-to-many fields people choose on a form.
        for m2m in (Kim.mentors, Visit.officers, ResourcePerson.topics, Session.resource_persons):
            m2m_changed.connect(
                record_m2m_change, sender=m2m.through, dispatch_uid=f"kim.audit.m2m.{m2m.field.name}"
            )
        # Every app's models are loaded by now, so a feature's reminders may import any of them.
        for feature in REMINDER_FEATURES:
            import_module(f"{feature}.reminders")
        for feature in EXPORT_FEATURES:
            import_module(f"{feature}.exports")
        for feature in DOCUMENT_FEATURES:
            import_module(f"{feature}.documents")
