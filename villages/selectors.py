"""Reads for the village pages: each scoped to the user, each a fixed number of queries."""

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.db.models import F, FilteredRelation, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404

from kim.accounts.access import answers_for_village
from kim.lib.pagination import ListPaginator
from villages.filters import (
    VillageFilter,
    active_kim_by,
    has_registered_kim,
    registered_kims,
    village_formations,
)
from villages.models import CommunityGroup, District, Village, VillageChange, VillageYear

HISTORY_LIMIT = 50


def get_village_for_user(user, code: str) -> Village:
    """The village if the user may see it; 404 otherwise (a head does not learn that other villages exist)."""
    return get_object_or_404(Village.objects.for_user(user).select_related("district__regency"), pk=code)


def can_edit_village(user, village: Village) -> bool:
    """Staff edit every village; a village head edits only their own; agency officers only read."""
    return answers_for_village(user, village.pk)


def get_editable_village(user, code: str) -> Village:
    village = get_village_for_user(user, code)
    if not can_edit_village(user, village):
        raise PermissionDenied
    return village


def get_group_for_user(user, village: Village, group_id: int) -> CommunityGroup:
    return get_object_or_404(CommunityGroup.objects.select_related("village"), village=village, pk=group_id)


def _district_name() -> Subquery:
    # A subquery rather than a join: PostgreSQL then looks up the kecamatan of the page's rows only, not of
    # every match before the sort (a hash of all 7,285 kecamatan for a national search).
    return Subquery(District.objects.filter(pk=OuterRef("district_id")).values("name")[:1])


def village_filter(user, params) -> VillageFilter:
    """The filtered village list of the user's scope, with each row's status for the chosen year."""
    villages = Village.objects.for_user(user)
    village_filter = VillageFilter(params or None, queryset=villages)
    year = village_filter.year_value
    filtered = village_filter.qs
    village_filter.rows = (
        filtered.annotate(status=FilteredRelation("years", condition=Q(years__year=year)))
        .annotate(
            red_zone=F("status__is_red_zone"),
            mentor_name=F("status__mentor_agency__short_name"),
        )
        .annotate(district_name=_district_name(), has_kim=has_registered_kim())
        .order_by(*village_filter.ordering)
    )
    return village_filter


def village_page(village_filter: VillageFilter, number) -> Page:
    """One page of the filtered list, its rows with their details.

    The paginator counts and slices the plain filtered villages; the details (status, kecamatan, KIM) are
    then read for the page's 25 villages only, in the same query. Sliced directly, the details would be
    worked out for every row that the OFFSET skips too (1,225 of them on page 50).
    """
    plain = village_filter.qs.order_by(*village_filter.ordering)
    page = ListPaginator(plain, settings.VILLAGE_LIST_PAGE_SIZE).get_page(number)
    page_villages = plain[page.start_index() - 1 : page.end_index()] if page.paginator.count else plain.none()
    page.object_list = list(village_filter.rows.filter(pk__in=page_villages.values("pk")))
    return page


def village_detail(village: Village) -> dict:
    years = VillageYear.objects.filter(village=village).select_related("mentor_agency").order_by("-year")
    groups = CommunityGroup.objects.filter(village=village).order_by("kind", "name")
    history = VillageChange.objects.filter(village=village).select_related("actor")[:HISTORY_LIMIT]
    kims = registered_kims().filter(village=village).order_by("name")
    formations = (
        village_formations()
        .filter(target__village=village)
        .select_related("target", "kim")
        .order_by("-target__year")
    )
    return {"years": years, "groups": groups, "history": history, "kims": kims, "formations": formations}


def map_statuses(user, params) -> dict:
    """Status of every village of the home regency in the chosen year, and whether each passes the filter;
    and each kecamatan's zona merah coverage that year (red-zone villages, and those with a KIM active today
    and founded by the year's end, as the dashboard counts them), for the map's coverage mode."""
    village_filter = VillageFilter(params or None, queryset=Village.objects.for_user(user).in_home_regency())
    year = village_filter.year_value
    matching = set(village_filter.qs.values_list("pk", flat=True))
    rows = (
        Village.objects.for_user(user)
        .in_home_regency()
        .annotate(status=FilteredRelation("years", condition=Q(years__year=year)))
        .annotate(red_zone=F("status__is_red_zone"), mentor_name=F("status__mentor_agency__short_name"))
        .annotate(has_kim=has_registered_kim(), active_kim=active_kim_by(year))
        .values_list("pk", "district_id", "red_zone", "mentor_name", "has_kim", "active_kim")
    )
    villages: dict[str, dict] = {}
    districts: defaultdict[str, dict[str, int]] = defaultdict(lambda: {"red_zone": 0, "covered": 0})
    for code, district, red, mentor, has_kim, active_kim in rows:
        villages[code] = {
            "red_zone": bool(red),
            "mentor": mentor,
            "has_kim": has_kim,
            "active_kim": active_kim,
            "match": code in matching,
        }
        if red:
            districts[district]["red_zone"] += 1
            districts[district]["covered"] += bool(active_kim)
    return {"year": year, "villages": villages, "districts": districts, "valid": village_filter.is_valid()}
