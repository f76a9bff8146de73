import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import KimFactory

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:index")


@pytest.mark.parametrize("persona", ["staff", "staff_admin", "leader"])
def test_staff_and_leaders_open_the_dashboard(client_for, request, persona):
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    assert response.context["figures"].district == ""


@pytest.mark.parametrize("persona", ["head", "officer"])
def test_village_heads_and_officers_may_not_open_the_dashboard(client_for, request, persona):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_the_dashboard_answers_only_get(client_for, staff):
    assert client_for(staff).post(URL).status_code == 405


@pytest.mark.parametrize(
    "params",
    [
        {"year": "1990"},
        {"year": "abc"},
        {"year": "9" * 30},
        {"kecamatan": "99.99.99"},
        {"kecamatan": "33.03"},
    ],
)
def test_a_year_or_kecamatan_out_of_range_shows_this_year_for_the_regency_and_says_why(
    client_for, staff, params
):
    response = client_for(staff).get(URL, params)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.year, figures.district) == (timezone.localdate().year, "")
    assert response.context["form"].errors


def test_a_kecamatan_and_a_year_are_chosen_with_the_form(client_for, staff, village, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    KimFactory(village=village, founded_on=dt.date(2019, 2, 1))
    response = client_for(staff).get(URL, {"year": "2019", "kecamatan": village.district_id})
    figures = response.context["figures"]
    assert (figures.year, figures.district, figures.district_name) == (
        2019,
        village.district_id,
        "Kaligondang",
    )
    assert figures.kims.total == 1
    assert b'id="dashboard-charts"' in response.content


def test_the_figures_are_kept_while_nothing_is_recorded_and_read_again_once_something_is(
    client_for, staff, village, other_village, settings
):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    KimFactory(village=village, founded_on=dt.date(2019, 2, 1))
    client = client_for(staff)
    assert client.get(URL).context["figures"].kims.total == 1
    with CaptureQueriesContext(connection) as kept:
        assert client.get(URL).context["figures"].kims.total == 1
    assert len(kept) <= 8  # the user, the navbar, the programme's version: no figure read again
    KimFactory(village=other_village, founded_on=dt.date(2020, 2, 1))
    assert client.get(URL).context["figures"].kims.total == 2
