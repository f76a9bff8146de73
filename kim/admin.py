from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from kim.accounts.models import User
from kim.formation.models import Formation, FormationEvent, Target
from kim.lib.admin import ReadOnlyAdminMixin
from kim.mentoring.models import Visit
from kim.register.models import DevelopmentLevel, Kim, Member
from kim.reminders.models import Heartbeat, Reminder, ReminderRule


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "village", "agency", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("village", "agency")
    raw_id_fields = ("village",)
    # No staff or superuser flags, groups or permissions: Django admin access is the role's (User.is_staff).
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "email", "phone", "nip", "rank", "position")},
        ),
        ("KIM", {"fields": ("role", "village", "agency", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )


@admin.register(Kim)
class KimAdmin(admin.ModelAdmin):
    list_display = ("name", "village", "status", "level")
    list_filter = ("status", "origin", "level")
    list_select_related = ("village", "level")
    search_fields = ("name",)
    raw_id_fields = ("village", "community_group")


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "kim", "left_on")
    list_select_related = ("kim",)
    raw_id_fields = ("kim",)


# Workflow rows (formations, visits, reminders) are read-only here: their services write them together with
# their history and the reminders they plan, which an edit in Django admin would skip.


@admin.register(Formation)
class FormationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("target", "state", "step", "confirmation")
    list_filter = ("state", "step", "confirmation")
    list_select_related = ("target__village",)
    raw_id_fields = ("target", "kim", "confirmed_by")


@admin.register(FormationEvent)
class FormationEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("formation", "step", "kind")
    fields = ("formation", "step", "kind", "notes", "actor", "at")
    list_select_related = ("formation__target__village",)


@admin.register(Target)
class TargetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("village", "year", "created_by")
    list_select_related = ("village", "created_by")
    raw_id_fields = ("village",)


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("kim", "visited_on", "kind")
    list_select_related = ("kim",)
    raw_id_fields = ("kim",)


admin.site.register(DevelopmentLevel)


admin.site.register(Heartbeat)


@admin.register(ReminderRule)
class ReminderRuleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rules are saved on the app's rule page only: saving one there plans or withdraws its reminders."""

    list_display = ("name", "trigger", "offset_days", "repeat_every_days", "is_active", "effective_from")
    list_filter = ("trigger", "is_active")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """For looking into the outbox; rows are planned and sent by kim.reminders only."""

    list_display = ("due_at", "rule", "recipient_name", "channel", "state", "attempts", "subject")
    list_filter = ("state", "channel", "trigger")
    list_select_related = ("rule",)
    search_fields = ("recipient_name", "subject", "title")
    raw_id_fields = ("user", "relayed_by")
