from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from kim.accounts.models import User
from kim.formation.models import Formation, FormationEvent, Target
from kim.mentoring.models import Visit
from kim.register.models import DevelopmentLevel, Kim, Member
from kim.reminders.models import Heartbeat, Reminder, ReminderRule


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "village", "agency", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("village", "agency")
    raw_id_fields = ("village",)
    fieldsets = (*(UserAdmin.fieldsets or ()), ("KIM", {"fields": ("role", "village", "agency", "phone")}))


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


@admin.register(Formation)
class FormationAdmin(admin.ModelAdmin):
    list_display = ("target", "state", "step", "confirmation")
    list_filter = ("state", "step", "confirmation")
    list_select_related = ("target__village",)
    raw_id_fields = ("target", "kim", "confirmed_by")


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("village", "year", "created_by")
    list_select_related = ("village", "created_by")
    raw_id_fields = ("village",)


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("kim", "visited_on", "kind")
    list_select_related = ("kim",)
    raw_id_fields = ("kim",)


admin.site.register([DevelopmentLevel, FormationEvent])


admin.site.register(Heartbeat)


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "trigger", "offset_days", "repeat_every_days", "is_active", "effective_from")
    list_filter = ("trigger", "is_active")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """For looking into the outbox; rows are planned and sent by kim.reminders only."""

    list_display = ("due_at", "rule", "recipient_name", "channel", "state", "attempts", "subject")
    list_filter = ("state", "channel", "trigger")
    list_select_related = ("rule",)
    search_fields = ("recipient_name", "subject", "title")
    raw_id_fields = ("user", "relayed_by")
    readonly_fields = [field.name for field in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False
