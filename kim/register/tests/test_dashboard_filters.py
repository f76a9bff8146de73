"""The KIM register's filters that the dashboard links to: the founding year (exact, or by the end of a
year), no development level, active and not overdue for a visit, and the last visit as at a past day."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from kim.register.models import Kim
from tests.factories import DevelopmentLevelFactory, KimFactory, VillageFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kims(village):
    """Four KIMs in one kecamatan: founded 2018 and visited in November 2019, founded 2019 and never
    visited, founded 2020 (inactive), and one without a founding date recorded in 2021."""
    level = DevelopmentLevelFactory()
    district = village.district
    made = {
        "old": KimFactory(village=village, founded_on=dt.date(2018, 3, 1), level=level),
        "new": KimFactory(
            village=VillageFactory(district=district, code="33.03.04.3001"), founded_on=dt.date(2019, 6, 1)
        ),
        "inactive": KimFactory(
            village=VillageFactory(district=district, code="33.03.04.3002"),
            founded_on=dt.date(2020, 1, 1),
            status=Kim.Status.INACTIVE,
            level=level,
        ),
    }
    with time_machine.travel(dt.datetime(2021, 5, 1, 3, tzinfo=dt.UTC)):
        made["undated"] = KimFactory(village=VillageFactory(district=district, code="33.03.04.3003"))
    VisitFactory(kim=made["old"], visited_on=dt.date(2019, 11, 1))
    Kim.objects.filter(pk=made["old"].pk).update(last_visit_on=dt.date(2019, 11, 1))
    return made


def _listed(client, **params) -> set[int]:
    response = client.get(reverse("register:list"), params)
    assert response.status_code == 200
    return {kim.pk for kim in response.context["page"].paginator.object_list}


def _ids(kims, *names) -> set[int]:
    return {kims[name].pk for name in names}


def test_founded_reads_the_founding_year_or_the_year_recorded(client_for, staff, kims):
    client = client_for(staff)
    assert _listed(client, founded=2019) == _ids(kims, "new")
    assert _listed(client, founded=2021) == _ids(kims, "undated")
    assert _listed(client, founded_by=2019) == _ids(kims, "old", "new")
    assert _listed(client, founded_by=2020, status="inactive") == _ids(kims, "inactive")


def test_no_level_lists_the_kims_without_one(client_for, staff, kims):
    assert _listed(client_for(staff), level="none") == _ids(kims, "new", "undated")


def test_within_the_cadence_is_every_active_kim_not_overdue_for_a_visit(client_for, staff, kims, settings):
    settings.KIM_VISIT_CADENCE_DAYS = 90
    client = client_for(staff)
    with time_machine.travel(dt.datetime(2019, 12, 1, 3, tzinfo=dt.UTC), tick=False):
        # visited a month ago; never visited since its founding six months ago, or with no founding date
        # at all (overdue at once); the inactive one is neither
        assert _listed(client, last_visit="within") == _ids(kims, "old")
        assert _listed(client, last_visit="overdue") == _ids(kims, "new", "undated")


def test_the_last_visit_as_at_a_past_day_reads_the_visits_before_it(client_for, staff, kims, settings):
    settings.KIM_VISIT_CADENCE_DAYS = 90
    client = client_for(staff)
    as_of = {"visit_as_of": "2019-12-31", "founded_by": 2019}
    assert _listed(client, last_visit="within", **as_of) == _ids(kims, "old")
    assert _listed(client, last_visit="overdue", **as_of) == _ids(kims, "new")
    before_the_visit = {"visit_as_of": "2019-10-01", "founded_by": 2019}
    assert _listed(client, last_visit="overdue", **before_the_visit) == _ids(kims, "old", "new")


@pytest.mark.parametrize("params", [{"founded": "1999"}, {"founded_by": "x"}, {"visit_as_of": "2019-13-01"}])
def test_a_filter_out_of_range_is_marked(client_for, staff, kims, params):
    response = client_for(staff).get(reverse("register:list"), params)
    assert response.status_code == 200
    assert response.context["filter"].form.errors
