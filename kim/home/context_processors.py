from django.conf import settings
from django.utils.functional import SimpleLazyObject

from kim.reminders.selectors import nav_status as read_nav_status


def site(request):
    return {"REGENCY_NAME": settings.KIM_REGENCY_NAME}


def nav_status(request):
    """The navbar's unread count, and the staff's WhatsApp queue and sweep warning: one query, run only when a
    template shows them (so never for anonymous pages, nor for pages without the navbar)."""
    return {"nav_status": SimpleLazyObject(lambda: read_nav_status(request.user))}
