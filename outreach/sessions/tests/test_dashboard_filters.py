"""The session list's filters that the dashboard links to: year and month (WIB), cancelled, report owed and
the sessions with a topic of their own; the list keeps its query count with them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.sessions.models import Session
from tests.factories import SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _at(year, month, day, hour=9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))  # WIB


@pytest.fixture
def sessions(kim, agency, topic):
    """Six sessions: 1 Jan 2020 00:30 WIB (still 31 Dec 2019 in UTC), March and December 2020, a cancelled
    one, one in 2021, and one with a topic of its own."""
    return {
        "new_year": SessionFactory(kim=kim, agency=agency, topic=topic, starts_at=_at(2020, 1, 1, 0)),
        "march": SessionFactory(kim=kim, agency=agency, topic=topic, starts_at=_at(2020, 3, 5), state="held"),
        "december": SessionFactory(kim=kim, agency=agency, topic=topic, starts_at=_at(2020, 12, 31, 23)),
        "cancelled": SessionFactory(
            kim=kim, agency=agency, topic=topic, starts_at=_at(2020, 3, 9), state=Session.State.CANCELLED
        ),
        "later": SessionFactory(kim=kim, agency=agency, topic=topic, starts_at=_at(2021, 3, 5)),
        "own_topic": SessionFactory(
            kim=kim,
            agency=agency,
            topic=None,
            topic_other="Adat",
            starts_at=_at(2020, 3, 20),
            state="confirmed",
        ),
    }


@pytest.fixture
def topic():
    return TopicFactory()


def _listed(client, **params) -> set[int]:
    response = client.get(reverse("outreach:session_list"), params)
    assert response.status_code == 200
    return {session.pk for session in response.context["page"].paginator.object_list}


def _ids(sessions, *names) -> set[int]:
    return {sessions[name].pk for name in names}


def test_a_year_is_read_in_wib(client_for, staff, sessions):
    expected = _ids(sessions, "new_year", "march", "december", "cancelled", "own_topic")
    assert _listed(client_for(staff), year=2020) == expected


def test_a_month_narrows_the_year_and_alone_narrows_nothing(client_for, staff, sessions):
    client = client_for(staff)
    assert _listed(client, year=2020, month=3) == _ids(sessions, "march", "cancelled", "own_topic")
    assert _listed(client, year=2020, month=12) == _ids(sessions, "december")
    assert _listed(client, month=3) == set(_ids(sessions, *sessions))


def test_cancelled_sessions_are_kept_or_left_out(client_for, staff, sessions):
    client = client_for(staff)
    assert _listed(client, cancelled="yes") == _ids(sessions, "cancelled")
    assert _listed(client, cancelled="no") == set(_ids(sessions, *sessions)) - _ids(sessions, "cancelled")


@pytest.mark.usefixtures("sessions")
def test_report_owed_lists_the_confirmed_or_held_sessions_that_are_over(client_for, staff, sessions):
    client = client_for(staff)
    over_and_unreported = {s.pk for s in Session.objects.report_owed()}
    assert over_and_unreported == _ids(sessions, "march", "own_topic")
    assert _listed(client, report_owed="yes") == over_and_unreported
    assert _listed(client, report_owed="no") == set(_ids(sessions, *sessions)) - over_and_unreported


def test_other_topic_lists_the_sessions_with_a_topic_of_their_own(client_for, staff, sessions, topic):
    client = client_for(staff)
    assert _listed(client, topic="other") == _ids(sessions, "own_topic")
    assert _listed(client, topic=topic.pk) == set(_ids(sessions, *sessions)) - _ids(sessions, "own_topic")


@pytest.mark.parametrize("params", [{"year": "1999"}, {"month": "13"}, {"report_owed": "maybe"}])
def test_a_filter_out_of_range_is_marked_and_lists_unfiltered(client_for, staff, sessions, params):
    response = client_for(staff).get(reverse("outreach:session_list"), params)
    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_the_list_keeps_its_query_count_with_the_new_filters(
    client_for, staff, sessions, django_assert_num_queries
):
    client = client_for(staff)
    params = {"year": 2020, "month": 3, "cancelled": "no", "report_owed": "yes", "topic": "other"}
    # as the unfiltered list: user, the navbar's counts, count, rows, agency, kecamatan and topic choices
    with django_assert_num_queries(7):
        client.get(reverse("outreach:session_list"), params)
