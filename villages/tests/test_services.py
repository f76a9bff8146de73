"""The village history speaks Indonesian for every value it records, whatever the editor's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import CommunityGroupFactory
from villages import services
from villages.models import CommunityGroup, VillageChange

pytestmark = pytest.mark.django_db


def test_marking_a_red_zone_reads_tidak_to_ya_in_the_village_history(client, staff, village, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff)
    client.post(
        reverse("villages:status_bulk", args=[2019]),
        {"action": "mark", "decree": "SK 1/2019", "villages": [village.pk]},
    )
    expected = "2019: zona merah: Tidak → Ya; SK zona merah: - → SK 1/2019"
    assert VillageChange.objects.get(village=village).details == expected
    assert expected in client.get(reverse("villages:detail", args=[village.pk])).content.decode()


def test_taking_a_village_off_the_list_reads_ya_to_tidak(staff, village):
    services.red_zone_mark(year=2019, villages=[village], decree="SK 1/2019", actor=staff)
    services.red_zone_unmark(year=2019, villages=[village], actor=staff)
    assert VillageChange.objects.filter(village=village).first().details == (
        "2019: zona merah: Ya → Tidak; SK zona merah: SK 1/2019 → -"
    )


def test_the_history_is_written_in_indonesian_even_for_an_editor_reading_english(staff, village, agency):
    with translation.override("en"):
        services.village_year_set(
            village=village,
            year=2019,
            actor=staff,
            is_red_zone=True,
            red_zone_decree="SK 1/2019",
            mentor_agency=agency,
        )
    assert VillageChange.objects.get(village=village).details == (
        "2019: zona merah: Tidak → Ya; SK zona merah: - → SK 1/2019; OPD pembina (desa binaan): - → Dinkes"
    )


def test_a_group_changing_kind_is_named_by_its_labels_on_both_sides(staff, village):
    group = CommunityGroupFactory(village=village, name="Kelompok Mawar", kind=CommunityGroup.Kind.PKK)
    before = services.community_group_snapshot(group)
    group.kind = CommunityGroup.Kind.KARANG_TARUNA
    services.community_group_save(group=group, actor=staff, before=before)
    assert VillageChange.objects.get(village=village).details == "Kelompok Mawar: jenis: PKK → Karang Taruna"
