"""Access to KIMs and their parts: every view reaches a KIM through these helpers."""

import datetime as dt
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from kim.accounts.access import answers_for_village
from kim.lib.phone import whatsapp_url
from kim.register.filters import KimFilter, current_member_count, current_members
from kim.register.models import DevelopmentLevel, Kim, Member
from villages.models import District, Village


def get_kim_for_user(user, kim_id: int) -> Kim:
    """The KIM if the user may see it (staff and agency officers: any; a village head: their village's);
    404 otherwise. KIMs still being formed are reached through their formation, not here."""
    kims = (
        Kim.objects.for_user(user)
        .registered()
        .select_related("village__district", "level", "community_group")
    )
    return get_object_or_404(kims, pk=kim_id)


def can_edit_kim(user, kim: Kim) -> bool:
    """Staff change everything about a KIM."""
    return user.is_dinkominfo


def can_edit_members(user, kim: Kim) -> bool:
    """Staff, and the head of the KIM's village, who keeps its member list up to date."""
    return answers_for_village(user, kim.village_id)


def can_see_personal(user, kim: Kim) -> bool:
    """Who see the members' personal details (NIK) and the scanned decree: those who keep the member list,
    and leaders, who read what staff read."""
    return user.reads_programme or can_edit_members(user, kim)


def get_editable_kim(user, kim_id: int) -> Kim:
    kim = get_kim_for_user(user, kim_id)
    if not can_edit_kim(user, kim):
        raise PermissionDenied
    return kim


def get_member_for_user(user, kim: Kim, member_id: int) -> Member:
    if not can_edit_members(user, kim):
        raise PermissionDenied
    return get_object_or_404(Member, kim=kim, pk=member_id)


VISITS_ON_KIM_PAGE = 10


def kim_detail(kim: Kim) -> dict:
    members = list(Member.objects.filter(kim=kim).by_rank().order_by("left_on", "position_rank", "name"))
    current = [m for m in members if m.is_current]
    # Visits and the formation belong to rooms above the register: read through the KIM's own relations.
    visits = (
        kim.visits.all()
        .prefetch_related("photos", "officers")
        .order_by("-visited_on", "-id")[:VISITS_ON_KIM_PAGE]
    )
    return {
        "kim": kim,
        "current_members": current,
        "past_members": [m for m in members if not m.is_current],
        "has_ketua": any(m.position == Member.Position.KETUA for m in current),
        "too_few_members": len(current) < settings.KIM_MIN_MEMBERS,
        "min_members": settings.KIM_MIN_MEMBERS,
        "mentors": list(kim.mentors.all()),
        "visits": visits,
        "formation": Kim._meta.get_field("formation")
        .related_model._default_manager.filter(kim=kim)
        .select_related("target")
        .first(),
    }


def _current_ketua(field: str) -> Subquery:
    return Subquery(current_members().filter(position=Member.Position.KETUA).values(field)[:1])


def with_details(kims: QuerySet[Kim]) -> QuerySet[Kim]:
    """Each KIM with its village and kecamatan names, level name, current ketua, and current member count.

    Subqueries rather than joins throughout: under a LIMIT, PostgreSQL evaluates them after the sort, for
    the rows returned only, instead of joining every KIM to its village, kecamatan and members first.
    """
    details = kims.annotate(
        village_name=Subquery(Village.objects.filter(pk=OuterRef("village_id")).values("name")[:1]),
        district_name=Subquery(
            District.objects.filter(village__pk=OuterRef("village_id")).values("name")[:1]
        ),
        level_name=Subquery(DevelopmentLevel.objects.filter(pk=OuterRef("level_id")).values("name")[:1]),
        ketua_name=_current_ketua("name"),
        ketua_phone=_current_ketua("phone"),
        member_count=current_member_count(),
    )
    # Read from the ketua's name (a member's name is never null) rather than an EXISTS of its own: PostgreSQL
    # plans such an EXISTS as a hash of every current ketua in the country, built for a page of 25 rows.
    return details.annotate(
        has_ketua=ExpressionWrapper(Q(ketua_name__isnull=False), output_field=BooleanField())
    )


class KimRegistry(KimFilter):
    """The filter and its results, each built on first use (the list page never needs `.rows` whole)."""

    @cached_property
    def ordered(self) -> QuerySet[Kim]:
        """The matching KIMs in list order, plain: what the paginator counts and slices."""
        return self.qs.order_by(*self.ordering)

    @cached_property
    def rows(self) -> QuerySet[Kim]:
        """The matching KIMs in list order with their details: what the downloads write out."""
        return with_details(self.ordered)


def kim_filter(user, params) -> KimRegistry:
    """The registered KIMs of the user's scope (a village head: their village's), filtered."""
    return KimRegistry(params or None, queryset=Kim.objects.for_user(user).registered())


def kim_page_rows(page_kims: QuerySet[Kim], today: dt.date | None = None) -> list[Any]:
    """One page of the list (`page_kims`, a slice of `.ordered`) with its details, each row with its flags
    and its ketua's WhatsApp link.

    The page's ids are chosen in a subquery, and the details looked up for those 25 rows alone: sliced
    directly, `.rows` deep into the list (page 50 is rows 1,226 to 1,250) would look up the village,
    ketua and members of every row that the OFFSET skips. Still one query.
    """
    today = today or timezone.localdate()
    page = with_details(Kim.objects.filter(pk__in=page_kims.values("pk"))).order_by(*KimFilter.ordering)
    rows: list[Any] = list(page)
    for row in rows:
        row.flags = kim_flags(row, today)
        row.ketua_whatsapp = whatsapp_url(row.ketua_phone or "")
    return rows


def kim_flags(kim: Any, today: dt.date | None = None) -> list[str]:
    """What needs attention on a listed KIM (a row of `kim_filter(...).rows`), in words."""
    flags = []
    if not kim.has_ketua:
        flags.append(_("no ketua"))
    if kim.member_count < settings.KIM_MIN_MEMBERS:
        flags.append(_("too few members"))
    if kim.visit_overdue(today or timezone.localdate()):
        flags.append(_("not visited"))
    return flags
