"""Zona merah coverage: the village list's `active_kim` filter and the map's coverage mode count a red-zone
village as covered when it has a KIM active today and founded by the end of the year."""

import datetime as dt

import pytest
from django.urls import reverse

from kim.register.models import Kim
from tests.factories import KimFactory, VillageFactory, VillageYearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def red_zone(settings, village):
    """Four red-zone villages of 2019 in one kecamatan: one with a KIM founded in 2018, one whose KIM was
    founded in 2020, one whose KIM is inactive, one with none."""
    settings.KIM_REGENCY_CODE = village.district.regency_id
    others = (VillageFactory(district=village.district, code=f"33.03.04.{3001 + n}") for n in range(3))
    villages = [village, *others]
    for each in villages:
        VillageYearFactory(village=each, year=2019, is_red_zone=True)
    KimFactory(village=villages[0], founded_on=dt.date(2018, 5, 1))
    KimFactory(village=villages[1], founded_on=dt.date(2020, 5, 1))
    KimFactory(village=villages[2], founded_on=dt.date(2017, 5, 1), status=Kim.Status.INACTIVE)
    return villages


def _listed(client, **params) -> set[str]:
    page = client.get(reverse("villages:list"), params).context["page"]
    return {village.pk for village in page.paginator.object_list}


def test_the_village_list_filters_red_zone_villages_covered_in_the_year(client_for, staff, red_zone):
    client = client_for(staff)
    assert _listed(client, year=2019, red_zone="yes", active_kim="yes") == {red_zone[0].pk}
    assert _listed(client, year=2019, red_zone="yes", active_kim="no") == {v.pk for v in red_zone[1:]}
    assert _listed(client, year=2020, active_kim="yes") == {red_zone[0].pk, red_zone[1].pk}


def test_the_map_colours_by_coverage_when_asked(client_for, staff, red_zone):
    client = client_for(staff)
    page = client.get(reverse("villages:map"), {"year": 2019, "mode": "coverage"})
    assert page.context["coverage"] is True
    assert b'data-mode="coverage"' in page.content
    data = client.get(reverse("villages:map_data"), {"year": 2019, "mode": "coverage"}).json()
    assert data["districts"] == {red_zone[0].district_id: {"red_zone": 4, "covered": 1}}
    assert [data["villages"][v.pk]["active_kim"] for v in red_zone] == [True, False, False, False]
    assert set(data["coverage_legend"]) >= {"covered", "uncovered", "share_all", "share_none"}


def test_the_map_shows_statuses_by_default(client_for, staff, red_zone):
    page = client_for(staff).get(reverse("villages:map"), {"year": 2019})
    assert page.context["coverage"] is False
    assert b'data-mode="status"' in page.content
