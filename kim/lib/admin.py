"""Django admin helpers that know no domain."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """For a ModelAdmin whose rows only the app's own services may write: lists and detail pages stay open
    to whoever may view them, but nobody (superusers included) adds, changes or deletes a row there, since
    that would skip what the service does alongside (an event in the history, reminders planned again).
    """

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
