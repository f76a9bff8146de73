"""Every write to the village registry goes through here, and every write leaves a line in the history."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from outreach.directory.models import Agency
from villages.models import CommunityGroup, Village, VillageChange, VillageYear

CONTACT_FIELDS = ("head_name", "head_nip", "head_phone", "office_address")
GROUP_FIELDS = ("name", "kind", "contact_name", "contact_phone", "notes")


def _display(instance, name: str, value) -> str:
    """A field's value as a person reads it, in the active language: a yes-or-no as Ya or Tidak, a choice by
    its label, a related row by its name, nothing as "-"."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    choices = instance._meta.get_field(name).flatchoices
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def _describe(instance, before: dict, fields: Iterable[str]) -> str:
    """'Field: old → new' for each field that changed, in the site's language whatever the user's (the
    caller overrides the language): the history is stored as text, and every reader sees the same words."""
    parts = []
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old != new:
            label = instance._meta.get_field(name).verbose_name
            parts.append(f"{label}: {_display(instance, name, old)} → {_display(instance, name, new)}")
    return "; ".join(parts)


def _snapshot(instance, fields: Iterable[str]) -> dict:
    return {name: getattr(instance, name) for name in fields}


@transaction.atomic
def village_update_contacts(
    *,
    village: Village,
    actor,
    head_name: str,
    head_phone: str,
    office_address: str,
    head_nip: str | None = None,
):
    """`head_nip` None keeps the NIP recorded (a desa's form does not ask for one)."""
    before = _snapshot(village, CONTACT_FIELDS)
    village.head_name, village.head_phone, village.office_address = head_name, head_phone, office_address
    if head_nip is not None:
        village.head_nip = head_nip
    with translation.override(settings.LANGUAGE_CODE):
        details = _describe(village, before, CONTACT_FIELDS)
    if details:
        village.save(update_fields=CONTACT_FIELDS)
        VillageChange.record(village, actor=actor, action=VillageChange.Action.CONTACTS, details=details)
    return village


@transaction.atomic
def community_group_save(*, group: CommunityGroup, actor, before: dict | None = None) -> CommunityGroup:
    """Save a new or edited group (validated by its form); `before` holds the edited group's old values."""
    group.save()
    with translation.override(settings.LANGUAGE_CODE):
        if before is None:
            VillageChange.record(
                group.village,
                actor=actor,
                action=VillageChange.Action.GROUP_ADDED,
                details=f"{group.name} ({group.get_kind_display()})",
            )
        elif details := _describe(group, before, GROUP_FIELDS):
            VillageChange.record(
                group.village,
                actor=actor,
                action=VillageChange.Action.GROUP_CHANGED,
                details=f"{group.name}: {details}",
            )
    return group


def community_group_snapshot(group: CommunityGroup) -> dict:
    return _snapshot(group, GROUP_FIELDS)


@transaction.atomic
def community_group_delete(*, group: CommunityGroup, actor) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        VillageChange.record(
            group.village,
            actor=actor,
            action=VillageChange.Action.GROUP_REMOVED,
            details=f"{group.name} ({group.get_kind_display()})",
        )
    group.delete()


@dataclass
class StatusChange:
    """What a bulk change did: the villages whose status for the year actually changed."""

    changed: list[Village] = field(default_factory=list)
    unchanged: list[Village] = field(default_factory=list)


def _apply_year_status(village: Village, row: VillageYear | None, year: int, actor, **values) -> bool:
    """Set the given fields of a village's status for a year; log and return True if anything changed."""
    fields = tuple(values)
    row = row or VillageYear(village=village, year=year)
    before = _snapshot(row, fields)
    for name, value in values.items():
        setattr(row, name, value)
    with translation.override(settings.LANGUAGE_CODE):
        details = _describe(row, before, fields)
    if not details:
        return False
    row.updated_at = timezone.now()
    row.save()
    VillageChange.record(
        village, actor=actor, action=VillageChange.Action.STATUS, details=f"{year}: {details}"
    )
    return True


def _existing_rows(villages: list[Village], year: int) -> dict[str, VillageYear]:
    rows = VillageYear.objects.select_for_update().filter(village__in=villages, year=year)
    return {row.village_id: row for row in rows}


@transaction.atomic
def village_year_set(
    *,
    village: Village,
    year: int,
    actor,
    is_red_zone: bool,
    red_zone_decree: str,
    mentor_agency: Agency | None,
) -> bool:
    row = _existing_rows([village], year).get(village.pk)
    return _apply_year_status(
        village,
        row,
        year,
        actor,
        is_red_zone=is_red_zone,
        red_zone_decree=red_zone_decree if is_red_zone else "",
        mentor_agency=mentor_agency,
    )


def _bulk(villages: Iterable[Village], year: int, actor, **values) -> StatusChange:
    villages = list(villages)
    rows = _existing_rows(villages, year)
    result = StatusChange()
    for village in villages:
        changed = _apply_year_status(village, rows.get(village.pk), year, actor, **values)
        (result.changed if changed else result.unchanged).append(village)
    return result


@transaction.atomic
def red_zone_mark(*, year: int, villages: Iterable[Village], decree: str, actor) -> StatusChange:
    return _bulk(villages, year, actor, is_red_zone=True, red_zone_decree=decree)


@transaction.atomic
def red_zone_unmark(*, year: int, villages: Iterable[Village], actor) -> StatusChange:
    return _bulk(villages, year, actor, is_red_zone=False, red_zone_decree="")


@transaction.atomic
def binaan_assign(*, year: int, villages: Iterable[Village], agency: Agency | None, actor) -> StatusChange:
    return _bulk(villages, year, actor, mentor_agency=agency)


@dataclass
class RedZonePlan:
    """What saving an uploaded zona merah list would do, shown for review before anything is saved."""

    year: int
    decree: str
    replace: bool
    add: list[Village]
    keep: list[Village]
    remove: list[Village]


def red_zone_plan(*, year: int, decree: str, codes: list[str], replace: bool) -> RedZonePlan:
    listed = set(VillageYear.objects.red_zone().filter(year=year).values_list("village_id", flat=True))
    villages = Village.objects.filter(pk__in=codes).select_related("district").order_by("code")
    add: list[Village] = []
    keep: list[Village] = []
    for village in villages:
        (keep if village.pk in listed else add).append(village)
    remove: list[Village] = []
    if replace:
        remove = list(
            Village.objects.filter(pk__in=listed - set(codes)).select_related("district").order_by("code")
        )
    return RedZonePlan(year=year, decree=decree, replace=replace, add=add, keep=keep, remove=remove)


@transaction.atomic
def red_zone_import(*, year: int, decree: str, codes: list[str], replace: bool, actor) -> RedZonePlan:
    """Put an uploaded list's villages on the year's zona merah list; with `replace`, take the others off."""
    plan = red_zone_plan(year=year, decree=decree, codes=codes, replace=replace)
    red_zone_mark(year=year, villages=plan.add + plan.keep, decree=decree, actor=actor)
    if plan.remove:
        red_zone_unmark(year=year, villages=plan.remove, actor=actor)
    return plan
