from django.db.models import Count, Exists, OuterRef, Q

from kim.formation.models import Formation
from kim.lib.dates import current_year
from kim.register.models import Kim
from villages.models import CommunityGroup, Village, VillageYear


def staff_home() -> dict:
    year = current_year()
    villages = Village.objects.in_home_regency()
    statuses = VillageYear.objects.filter(year=year, village__in=villages).aggregate(
        red_zone=Count("pk", filter=Q(is_red_zone=True)),
        binaan=Count("pk", filter=Q(mentor_agency__isnull=False)),
    )
    statuses["red_zone_without_kim"] = (
        VillageYear.objects.filter(year=year, village__in=villages, is_red_zone=True)
        .exclude(Exists(Kim.objects.registered().filter(village=OuterRef("village"))))
        .count()
    )
    open_formations = Formation.objects.open()
    return {
        "year": year,
        "awaiting_head": Formation.objects.awaiting_confirmation().count(),
        "returned": open_formations.returned().count(),
        "open_formations": open_formations.count(),
        "village_count": villages.count(),
        "kim_count": Kim.objects.registered().filter(village__in=villages).count(),
        **statuses,
    }


def village_head_home(user) -> dict:
    village = Village.objects.select_related("district").get(pk=user.village_id)
    return {
        "village": village,
        "year_status": VillageYear.objects.filter(village=village, year=current_year())
        .select_related("mentor_agency")
        .first(),
        "group_count": CommunityGroup.objects.filter(village=village).count(),
        "kims": Kim.objects.registered().filter(village=village),
        "awaiting": Formation.objects.for_user(user).awaiting_confirmation().select_related("target", "kim"),
    }


def opd_officer_home(user) -> dict:
    year = current_year()
    binaan = (
        Village.objects.filter(years__year=year, years__mentor_agency_id=user.agency_id)
        .select_related("district")
        .annotate(has_kim=Exists(Kim.objects.registered().filter(village=OuterRef("pk"))))
        .order_by("code")
    )
    return {"year": year, "agency": user.agency, "binaan": binaan}
