from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from kim.models import Heartbeat, Kim, User


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "village", "agency", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("village", "agency")
    raw_id_fields = ("village",)
    fieldsets = (*(UserAdmin.fieldsets or ()), ("KIM", {"fields": ("role", "village", "agency", "phone")}))


@admin.register(Kim)
class KimAdmin(admin.ModelAdmin):
    list_display = ("name", "village", "status")
    raw_id_fields = ("village",)


admin.site.register(Heartbeat)
