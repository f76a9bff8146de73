from django.contrib import admin

from kim.lib.admin import ReadOnlyAdminMixin
from outreach.directory.models import Agency, ResourcePerson, Topic
from outreach.reports.models import FollowUp, SessionReport
from outreach.sessions.models import Session


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "kind", "is_active")
    search_fields = ("name", "short_name")


# Sessions and what is recorded about them are read-only here: their services keep the history and the
# reminders in step, which an edit in Django admin would skip.


@admin.register(Session)
class SessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "agency", "kim", "starts_at", "state")
    list_filter = ("state", "agency")
    list_select_related = ("agency", "kim")
    raw_id_fields = ("kim", "proposed_by")
    search_fields = ("title",)
    date_hierarchy = "starts_at"


@admin.register(ResourcePerson)
class ResourcePersonAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "sector", "is_active")
    list_select_related = ("agency",)
    search_fields = ("name",)


admin.site.register(Topic)


@admin.register(SessionReport)
class SessionReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("session", "attended_male", "attended_female", "recorded_at")
    list_select_related = ("session",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("action", "owner", "session", "due_on", "done_on")
    list_select_related = ("session",)
