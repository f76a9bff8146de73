import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from outreach.calendar.models import CalendarFeed
from outreach.calendar.services import calendar_feed_get_or_create
from outreach.sessions.models import Session
from tests.factories import AgencyFactory, SessionFactory, TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]

WIB = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2019, 3, 1, 9, tzinfo=WIB)


@pytest.fixture
def stunting_session(agency, kim):
    """Dinkes in Selakambang, Thursday 7 March 2019, 09:00 to 11:00 WIB."""
    return SessionFactory(
        agency=agency,
        kim=kim,
        topic=TopicFactory(name="Penanggulangan stunting"),
        title="Sosialisasi pencegahan stunting",
        starts_at=dt.datetime(2019, 3, 7, 9, tzinfo=WIB),
        ends_at=dt.datetime(2019, 3, 7, 11, tzinfo=WIB),
        venue="Balai Desa Selakambang",
    )


@pytest.fixture
def other_session(other_kim):
    """Another agency, in another village."""
    return SessionFactory(
        agency=AgencyFactory(short_name="Dinpermasdes"),
        kim=other_kim,
        title="Sosialisasi dana desa",
        state=Session.State.CONFIRMED,
    )


def _feed_url(user) -> str:
    return reverse("outreach:calendar_feed", args=[calendar_feed_get_or_create(user=user).token])


def _calendar(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _titles(client, user) -> list[str]:
    return [str(event["SUMMARY"]) for event in _calendar(client.get(_feed_url(user))).events]


# The feed


def test_the_feed_opens_without_signing_in_and_carries_the_session_in_utc(client, officer, stunting_session):
    response = client.get(_feed_url(officer))
    calendar = _calendar(response)
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Jakarta"
    assert b"X-PUBLISHED-TTL:PT1H" in response.content
    assert str(calendar["X-WR-CALNAME"])
    [event] = calendar.events
    assert event.start == dt.datetime(2019, 3, 7, 2, tzinfo=dt.UTC)
    assert event.end == dt.datetime(2019, 3, 7, 4, tzinfo=dt.UTC)
    assert event.start.astimezone(WIB).hour == 9
    assert str(event["UID"]) == f"session-{stunting_session.pk}@kim.purbalinggakab.go.id"
    assert str(event["SUMMARY"]) == "Sosialisasi pencegahan stunting"


def test_the_event_tells_where_what_and_whether_it_is_confirmed(client, staff, stunting_session):
    [event] = _calendar(client.get(_feed_url(staff))).events
    assert str(event["LOCATION"]) == "Balai Desa Selakambang, Selakambang, Kaligondang"
    description = str(event["DESCRIPTION"])
    for expected in ["Penanggulangan stunting", "Dinas Kesehatan", "KIM Selakambang Maju", "proposed"]:
        assert expected in description
    assert str(event["STATUS"]) == "TENTATIVE"
    Session.objects.filter(pk=stunting_session.pk).update(state=Session.State.CONFIRMED)
    [event] = _calendar(client.get(_feed_url(staff))).events
    assert str(event["STATUS"]) == "CONFIRMED"


def test_a_free_text_topic_is_described(client, staff, agency, kim):
    SessionFactory(agency=agency, kim=kim, topic=None, topic_other="Pengelolaan sampah")
    [event] = _calendar(client.get(_feed_url(staff))).events
    assert "Pengelolaan sampah" in str(event["DESCRIPTION"])


def test_cancelled_and_long_past_sessions_are_left_out(client, staff, agency, kim, stunting_session):
    SessionFactory(agency=agency, kim=kim, title="Dibatalkan", state=Session.State.CANCELLED)
    SessionFactory(
        agency=agency,
        kim=kim,
        title="Tahun lalu",
        state=Session.State.REPORTED,
        starts_at=dt.datetime(2018, 12, 1, 2, tzinfo=dt.UTC),
    )
    SessionFactory(
        agency=agency,
        kim=kim,
        title="Bulan lalu",
        state=Session.State.REPORTED,
        starts_at=dt.datetime(2019, 1, 31, 2, tzinfo=dt.UTC),
    )
    assert _titles(client, staff) == ["Bulan lalu", "Sosialisasi pencegahan stunting"]


def test_staff_feed_holds_every_session(client, staff, stunting_session, other_session):
    assert sorted(_titles(client, staff)) == ["Sosialisasi dana desa", "Sosialisasi pencegahan stunting"]


def test_an_officers_feed_holds_their_agencys_sessions_only(client, officer, stunting_session, other_session):
    assert _titles(client, officer) == ["Sosialisasi pencegahan stunting"]


def test_a_village_heads_feed_holds_the_sessions_in_their_village_only(
    client, head, stranger, stunting_session, other_session
):
    assert _titles(client, head) == ["Sosialisasi pencegahan stunting"]
    assert _titles(client, stranger) == ["Sosialisasi dana desa"]


@pytest.mark.parametrize("token", ["tidak-ada", "x" * 43, "a" * 200])
def test_an_unknown_token_is_a_404(client, officer, stunting_session, token):
    calendar_feed_get_or_create(user=officer)
    assert client.get(reverse("outreach:calendar_feed", args=[token])).status_code == 404


def test_a_token_with_its_letters_case_changed_is_a_404(client, officer):
    feed = calendar_feed_get_or_create(user=officer)
    changed = feed.token.swapcase()
    assert changed != feed.token
    assert client.get(reverse("outreach:calendar_feed", args=[changed])).status_code == 404


def test_a_deactivated_users_feed_is_a_404(client, officer, stunting_session):
    url = _feed_url(officer)
    officer.is_active = False
    officer.save()
    assert client.get(url).status_code == 404


def test_the_feed_is_kept_out_of_shared_caches(client, officer):
    response = client.get(_feed_url(officer))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_feed_answers_only_get_and_head(client, officer):
    url = _feed_url(officer)
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("count", [1, 40])
def test_the_feed_runs_a_fixed_number_of_queries(
    client, staff, django_assert_num_queries, count, agency, kim
):
    SessionFactory.create_batch(count, agency=agency, kim=kim)
    url = _feed_url(staff)
    # the feed and its user, the sessions with their agency, topic, KIM, village and kecamatan
    with django_assert_num_queries(2):
        response = client.get(url)
    assert len(_calendar(response).events) == count


# The subscription page


def test_the_subscription_page_shows_the_users_own_link_in_both_forms(client_for, officer):
    response = client_for(officer).get(reverse("outreach:calendar_subscription"))
    assert response.status_code == 200
    token = CalendarFeed.objects.get(user=officer).token
    path = reverse("outreach:calendar_feed", args=[token])
    assert response.context["https_url"] == f"http://testserver{path}"
    assert response.context["webcal_url"] == f"webcal://testserver{path}"
    assert f"webcal://testserver{path}".encode() in response.content


def test_the_link_stays_the_same_from_visit_to_visit(client_for, head):
    client = client_for(head)
    first = client.get(reverse("outreach:calendar_subscription")).context["https_url"]
    second = client.get(reverse("outreach:calendar_subscription")).context["https_url"]
    assert first == second
    assert CalendarFeed.objects.count() == 1


def test_each_user_has_a_different_link(client, staff, officer):
    assert _feed_url(staff) != _feed_url(officer)


def test_the_subscription_page_asks_sign_in(client):
    response = client.get(reverse("outreach:calendar_subscription"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_renewing_the_link_shuts_the_old_one(client_for, officer, stunting_session):
    old_url = _feed_url(officer)
    client = client_for(officer)
    response = client.post(reverse("outreach:calendar_renew"))
    assert response.status_code == 302
    assert response.url == reverse("outreach:calendar_subscription")
    feed = CalendarFeed.objects.get(user=officer)
    assert feed.renewed_at is not None
    client.logout()
    assert client.get(old_url).status_code == 404
    new_url = reverse("outreach:calendar_feed", args=[feed.token])
    assert new_url != old_url
    assert len(_calendar(client.get(new_url)).events) == 1


def test_renewing_before_ever_opening_the_page_makes_a_link(client_for, staff):
    client_for(staff).post(reverse("outreach:calendar_renew"))
    assert len(CalendarFeed.objects.get(user=staff).token) >= 43


def test_renewing_needs_a_post(client_for, officer):
    assert client_for(officer).get(reverse("outreach:calendar_renew")).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_renewing_needs_sign_in(client, officer):
    old_url = _feed_url(officer)
    response = client.post(reverse("outreach:calendar_renew"))
    assert response.status_code == 302
    assert client.get(old_url).status_code == 200


def test_renewing_one_users_link_leaves_the_others(client_for, staff, officer):
    officer_url = _feed_url(officer)
    client = client_for(staff)
    client.post(reverse("outreach:calendar_renew"))
    assert client.get(officer_url).status_code == 200
