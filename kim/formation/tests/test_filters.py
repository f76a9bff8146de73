"""The formation list's filters: the year, the kecamatan, the step reached (cancelled ones apart, each
formation counted once), waiting for the village head, and stuck (open, no step for 30 days)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kim.formation.models import Formation, Step
from tests.factories import DistrictFactory, FormationFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def formations(village):
    now = timezone.now()
    elsewhere = VillageFactory(district=DistrictFactory(code="33.03.05"), code="33.03.05.2001")
    return {
        "waiting": FormationFactory(
            target__village=village,
            target__year=2020,
            step=Step.MEETING,
            confirmation=Formation.Confirmation.PENDING,
            step_changed_at=now - dt.timedelta(days=40),
        ),
        "cancelled_at_meeting": FormationFactory(
            target__village=village, target__year=2019, step=Step.MEETING, state=Formation.State.CANCELLED
        ),
        "fresh": FormationFactory(target__village=elsewhere, target__year=2020, step_changed_at=now),
        "done": FormationFactory(
            target__village=elsewhere,
            target__year=2019,
            step=Step.ACTIVE,
            state=Formation.State.DONE,
            step_changed_at=now - dt.timedelta(days=400),
        ),
    }


def _listed(client, **params) -> set[int]:
    response = client.get(reverse("formation:list"), params)
    assert response.status_code == 200
    return {formation.pk for formation in response.context["page"].paginator.object_list}


def _ids(formations, *names) -> set[int]:
    return {formations[name].pk for name in names}


def test_a_step_lists_the_formations_there_and_cancelled_ones_apart(client_for, staff, formations):
    client = client_for(staff)
    assert _listed(client, step=Step.MEETING) == _ids(formations, "waiting")
    assert _listed(client, step="cancelled") == _ids(formations, "cancelled_at_meeting")
    assert _listed(client, step="none") == _ids(formations, "fresh")
    assert _listed(client, step=Step.ACTIVE, year=2019) == _ids(formations, "done")


def test_waiting_for_the_village_head_and_stuck(client_for, staff, formations):
    client = client_for(staff)
    assert _listed(client, awaiting="yes") == _ids(formations, "waiting")
    assert _listed(client, stuck="yes") == _ids(formations, "waiting")  # done long ago is not stuck
    assert _listed(client, stuck="no", year=2020) == _ids(formations, "fresh")


def test_a_kecamatan_narrows_the_list(client_for, staff, formations, village):
    assert _listed(client_for(staff), kecamatan=village.district_id) == _ids(
        formations, "waiting", "cancelled_at_meeting"
    )


def test_a_village_head_is_not_offered_the_kecamatan(client_for, head, formations):
    response = client_for(head).get(reverse("formation:list"), {"kecamatan": "33.03.05", "awaiting": "yes"})
    assert "kecamatan" not in response.context["form"].fields
    assert {f.pk for f in response.context["page"]} == _ids(formations, "waiting")


def test_the_list_keeps_its_query_count_with_every_filter(
    client_for, staff, formations, django_assert_num_queries
):
    client = client_for(staff)
    client.get(reverse("formation:list"))
    with CaptureQueriesContext(connection) as plain:
        client.get(reverse("formation:list"))
    params = {"year": 2020, "kecamatan": "33.03.04", "step": "meeting", "awaiting": "yes", "stuck": "yes"}
    with django_assert_num_queries(len(plain)):
        client.get(reverse("formation:list"), params)
