"""Access to KIMs and their parts: every view reaches a KIM through these helpers."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from kim.models import Formation, Kim, Member, Visit


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
    return user.is_dinkominfo or (user.is_village_head and user.village_id == kim.village_id)


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
    visits = (
        Visit.objects.filter(kim=kim)
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
        "formation": Formation.objects.filter(kim=kim).select_related("target").first(),
    }
