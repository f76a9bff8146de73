from django.contrib import admin

from outreach.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "kind", "is_active")
    search_fields = ("name", "short_name")
