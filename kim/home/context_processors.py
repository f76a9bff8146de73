from django.conf import settings
from django.utils.functional import SimpleLazyObject

from kim.accounts.access import Abilities
from kim.reminders.selectors import nav_status as read_nav_status


def site(request):
    return {"REGENCY_NAME": settings.KIM_REGENCY_NAME}


def abilities(request):
    """`can`: what the person may do across the site (`can.plan_sessions`), so that templates never restate
    a role. Each flag is worked out only when a template asks for it."""
    return {"can": Abilities(request.user)}


def nav_status(request):
    """The navbar's unread count, and the staff's WhatsApp queue and sweep warning: one query, run only when a
    template shows them (so never for anonymous pages, nor for pages without the navbar)."""
    return {"nav_status": SimpleLazyObject(lambda: read_nav_status(request.user))}
