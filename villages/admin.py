from django.contrib import admin

from kim.lib.admin import ReadOnlyAdminMixin
from villages.models import CommunityGroup, District, Province, Regency, Village, VillageChange, VillageYear


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "district")
    list_select_related = ("district",)
    search_fields = ("code", "name")
    raw_id_fields = ("district",)


@admin.register(VillageYear)
class VillageYearAdmin(admin.ModelAdmin):
    list_display = ("village", "year", "is_red_zone", "mentor_agency")
    list_filter = ("year", "is_red_zone")
    list_select_related = ("village", "mentor_agency")
    raw_id_fields = ("village",)


@admin.register(CommunityGroup)
class CommunityGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "village")
    list_select_related = ("village",)
    raw_id_fields = ("village",)


@admin.register(VillageChange)
class VillageChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The village history is an audit trail: written by the services, never edited."""

    list_display = ("at", "village", "action", "actor")
    fields = ("village", "action", "details", "actor", "at")
    list_select_related = ("village", "actor")
    raw_id_fields = ("village", "actor")


admin.site.register([Province, Regency, District])
