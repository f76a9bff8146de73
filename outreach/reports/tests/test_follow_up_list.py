"""The follow-up action list (opd/tindak-lanjut/): every reader sees the actions of the sessions they may
read, filtered by progress, the session's year, kecamatan and agency, in a fixed number of queries."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from outreach.reports.models import FollowUp
from tests.factories import AgencyFactory, SessionFactory

pytestmark = pytest.mark.django_db
URL = reverse("outreach:follow_up_list")
TODAY = dt.date(2020, 6, 15)


def _follow_up(session, due_on, done_on=None) -> FollowUp:
    return FollowUp.objects.create(
        session=session, action="Tindak lanjut", owner="Bidan desa", due_on=due_on, done_on=done_on
    )


@pytest.fixture
def follow_ups(kim, other_kim, agency):
    in_2020 = SessionFactory(
        kim=kim, agency=agency, starts_at=timezone.make_aware(dt.datetime(2020, 1, 1, 0, 30))
    )
    in_2019 = SessionFactory(
        kim=kim, agency=agency, starts_at=timezone.make_aware(dt.datetime(2019, 12, 31, 23))
    )
    elsewhere = SessionFactory(kim=other_kim, agency=AgencyFactory(short_name="Dinsos"))
    return {
        "on_time": _follow_up(in_2020, dt.date(2020, 2, 1), dt.date(2020, 1, 20)),
        "late": _follow_up(in_2020, dt.date(2020, 2, 1), dt.date(2020, 2, 10)),
        "overdue": _follow_up(in_2019, dt.date(2020, 3, 1)),
        "not_yet_due": _follow_up(in_2019, dt.date(2020, 7, 1)),
        "other_agency": _follow_up(elsewhere, dt.date(2020, 3, 1)),
    }


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2020, 6, 15, 3, tzinfo=dt.UTC), tick=False):
        yield


def _listed(client, **params) -> set[int]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return {follow_up.pk for follow_up in response.context["page"].paginator.object_list}


def _ids(follow_ups, *names) -> set[int]:
    return {follow_ups[name].pk for name in names}


@pytest.mark.parametrize(
    ("progress", "names"),
    [
        ("on_time", ["on_time"]),
        ("late", ["late"]),
        ("overdue", ["overdue", "other_agency"]),
        ("not_yet_due", ["not_yet_due"]),
        ("open", ["overdue", "not_yet_due", "other_agency"]),
        ("done", ["on_time", "late"]),
    ],
)
def test_staff_filter_the_actions_by_progress(client_for, staff, follow_ups, progress, names):
    assert _listed(client_for(staff), progress=progress) == _ids(follow_ups, *names)


def test_the_year_is_the_sessions_in_wib(client_for, staff, follow_ups):
    assert _listed(client_for(staff), year=2020) == _ids(follow_ups, "on_time", "late")


def test_kecamatan_and_agency_narrow_the_list(client_for, staff, follow_ups, kim, agency):
    client = client_for(staff)
    assert _listed(client, kecamatan=kim.village.district_id) == _ids(follow_ups, *follow_ups)
    assert _listed(client, agency=agency.pk) == _ids(follow_ups, "on_time", "late", "overdue", "not_yet_due")


def test_an_officer_sees_their_agencys_actions_and_a_head_their_villages(
    client_for, officer, head, follow_ups
):
    mine = _ids(follow_ups, "on_time", "late", "overdue", "not_yet_due")
    assert _listed(client_for(officer)) == mine
    assert _listed(client_for(head)) == mine


def test_the_head_of_another_village_sees_only_their_own_villages(client_for, stranger, follow_ups):
    assert _listed(client_for(stranger)) == _ids(follow_ups, "other_agency")


@pytest.mark.parametrize("count", [2, 40])
def test_the_list_runs_a_fixed_number_of_queries(
    client_for, staff, kim, agency, count, django_assert_num_queries
):
    session = SessionFactory(kim=kim, agency=agency)
    for number in range(count):
        _follow_up(session, dt.date(2020, 1, 1) + dt.timedelta(days=number))
    client = client_for(staff)
    client.get(URL)
    # user, the navbar's counts, count, rows (with their sessions), kecamatan and agency choices
    with django_assert_num_queries(6):
        response = client.get(URL, {"progress": "overdue", "page": 2 if count > 25 else 1})
    assert len(response.context["page"]) == (count if count <= 25 else count - 25)


def test_the_list_answers_only_get(client_for, staff):
    assert client_for(staff).post(URL).status_code == 405
