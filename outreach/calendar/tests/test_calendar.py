import datetime as dt

import pytest
from django.urls import reverse

from kim.register.models import Kim
from outreach.calendar.selectors import PER_DAY, WIB, calendar_range
from outreach.sessions.models import Session
from tests.factories import AgencyFactory, KimFactory, SessionFactory, VillageFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def test_a_month_shows_whole_weeks_from_monday():
    span = calendar_range("month", dt.date(2019, 3, 14))
    assert (span.first, span.last) == (dt.date(2019, 2, 25), dt.date(2019, 3, 31))
    assert (span.previous, span.next) == (dt.date(2019, 2, 1), dt.date(2019, 4, 1))


def test_a_week_runs_from_monday_to_sunday():
    span = calendar_range("week", dt.date(2019, 3, 7))
    assert (span.first, span.last) == (dt.date(2019, 3, 4), dt.date(2019, 3, 10))


def _wib(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WIB)


def _sessions(starts, kim=None, agency=None, **fields):
    """Sessions named S0, S1, ... in the order given (and so in id order), one hour long."""
    kim, agency = kim or KimFactory(), agency or AgencyFactory()
    return Session.objects.bulk_create(
        Session(
            agency=agency,
            kim=kim,
            title=f"S{i}",
            venue="Balai",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            **fields,
        )
        for i, start in enumerate(starts)
    )


def _day(response, date: dt.date):
    return next(day for day in response.context["days"] if day.date == date)


def _days(response):
    return {day.date: [s.title for s in day.sessions] for day in response.context["days"] if day.sessions}


def test_a_session_falls_on_its_day_in_wib(client, staff):
    # 21:00 UTC on 6 March is 04:00 WIB on 7 March.
    SessionFactory(title="Pagi", starts_at=dt.datetime(2019, 3, 6, 21, 0, tzinfo=UTC))
    client.force_login(staff)
    response = client.get(reverse("outreach:session_calendar"), {"date": "2019-03-01"})
    assert _days(response) == {dt.date(2019, 3, 7): ["Pagi"]}


def test_each_role_sees_the_sessions_that_concern_it(client, staff, head, stranger, officer, village, agency):
    own_kim = KimFactory(village=village, status=Kim.Status.ACTIVE)
    SessionFactory(title="Di desa sendiri, OPD sendiri", kim=own_kim, agency=agency)
    SessionFactory(title="Lain", kim=KimFactory(village=VillageFactory()), agency=AgencyFactory())
    expected = {
        staff: {"Di desa sendiri, OPD sendiri", "Lain"},
        head: {"Di desa sendiri, OPD sendiri"},
        officer: {"Di desa sendiri, OPD sendiri"},
        stranger: set(),
    }
    for user, titles in expected.items():
        client.force_login(user)
        days = _days(client.get(reverse("outreach:session_calendar"), {"date": "2019-03-01"}))
        assert {title for day in days.values() for title in day} == titles, user


def test_filters_narrow_the_calendar(client, staff, agency):
    SessionFactory(title="Dinkes", agency=agency)
    SessionFactory(title="Lain", agency=AgencyFactory())
    client.force_login(staff)
    response = client.get(reverse("outreach:session_calendar"), {"date": "2019-03-01", "agency": agency.pk})
    assert _days(response) == {dt.date(2019, 3, 7): ["Dinkes"]}


@pytest.mark.parametrize("view", ["month", "week", "agenda"])
def test_calendar_views_run_a_fixed_number_of_queries(client, staff, view, django_assert_num_queries):
    kim, agency = KimFactory(), AgencyFactory()
    client.force_login(staff)
    start = dt.datetime(2019, 3, 4, 2, 0, tzinfo=UTC)
    Session.objects.bulk_create(
        Session(
            agency=agency,
            kim=kim,
            title=f"S{i}",
            venue="Balai",
            starts_at=start + dt.timedelta(hours=i),
            ends_at=start + dt.timedelta(hours=i + 1),
        )
        for i in range(3)
    )
    # user, the navbar's counts, the first sessions of each day, the day totals, and the agency, kecamatan and topic choices
    with django_assert_num_queries(7):
        client.get(reverse("outreach:session_calendar"), {"view": view, "date": "2019-03-04"})
    Session.objects.bulk_create(
        Session(
            agency=agency,
            kim=kim,
            title=f"T{i}",
            venue="Balai",
            starts_at=start + dt.timedelta(hours=i),
            ends_at=start + dt.timedelta(hours=i + 1),
        )
        for i in range(300)
    )
    with django_assert_num_queries(7):
        client.get(reverse("outreach:session_calendar"), {"view": view, "date": "2019-03-04"})


def test_a_busy_day_lists_its_first_sessions_and_says_how_many_more(client, staff):
    kim, agency = KimFactory(), AgencyFactory()
    start = dt.datetime(2019, 3, 7, 1, 0, tzinfo=UTC)
    Session.objects.bulk_create(
        Session(
            agency=agency,
            kim=kim,
            title=f"S{i}",
            venue="Balai",
            starts_at=start + dt.timedelta(minutes=10 * i),
            ends_at=start + dt.timedelta(minutes=10 * i + 60),
        )
        for i in range(PER_DAY + 2)
    )
    client.force_login(staff)
    response = client.get(reverse("outreach:session_calendar"), {"date": "2019-03-01"})
    day = next(day for day in response.context["days"] if day.sessions)
    assert [s.title for s in day.sessions] == [f"S{i}" for i in range(PER_DAY)]
    assert (day.total, day.more) == (PER_DAY + 2, 2)
    assert "date_from=2019-03-07" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"date": "nonsense"},
        {"view": "year"},
        {"agency": "x", "kim": "y"},
        *(
            {"date": day, "view": view}
            for day in ("9999-12-31", "0001-01-01")
            for view in ("month", "week", "agenda")
        ),
    ],
)
def test_bad_calendar_parameters_show_a_calendar_anyway(client, staff, params):
    client.force_login(staff)
    assert client.get(reverse("outreach:session_calendar"), params).status_code == 200


def test_a_day_lists_its_first_sessions_by_start_time_then_by_creation(client, staff):
    day = dt.date(2019, 3, 7)
    # S3 and S5 start together in sixth place: the one created first takes it.
    hours = [9, 8, 8, 10, 7, 10, 12, 6]
    _sessions([_wib(day, hour) for hour in hours])
    client.force_login(staff)
    shown = _day(client.get(reverse("outreach:session_calendar"), {"date": "2019-03-01"}), day)
    assert [s.title for s in shown.sessions] == ["S7", "S4", "S1", "S2", "S0", "S3"]
    assert (shown.total, shown.more) == (8, 2)


def test_sessions_are_ranked_within_their_day_in_wib_not_in_utc(client, staff):
    # 22:00 WIB on 6 March and 00:30 WIB on 7 March fall on the same day in UTC (6 March).
    _sessions([_wib(dt.date(2019, 3, 6), 22, minute) for minute in range(PER_DAY + 1)])
    _sessions([_wib(dt.date(2019, 3, 7), 0, 30), _wib(dt.date(2019, 3, 7), 0, 45)])
    client.force_login(staff)
    response = client.get(reverse("outreach:session_calendar"), {"date": "2019-03-01"})
    sixth, seventh = _day(response, dt.date(2019, 3, 6)), _day(response, dt.date(2019, 3, 7))
    assert (len(sixth.sessions), sixth.total) == (PER_DAY, PER_DAY + 1)
    assert ([s.title for s in seventh.sessions], seventh.total) == (["S0", "S1"], 2)


@pytest.mark.parametrize("view", ["month", "week", "agenda"])
def test_every_busy_day_of_the_range_lists_its_first_sessions(client, staff, view):
    span = calendar_range(view, dt.date(2019, 3, 4))
    days = [span.first + dt.timedelta(days=n) for n in range(-1, span.days + 1)]
    _sessions([_wib(day, 8 + hour) for day in days for hour in range(PER_DAY + 1)])
    client.force_login(staff)
    response = client.get(reverse("outreach:session_calendar"), {"view": view, "date": "2019-03-04"})
    shown = response.context["days"]
    assert [day.date for day in shown] == days[1:-1]
    assert {(len(day.sessions), day.total) for day in shown} == {(PER_DAY, PER_DAY + 1)}
    assert all(s.starts_at.astimezone(WIB).date() == day.date for day in shown for s in day.sessions)


def test_cancelled_sessions_are_listed_and_counted_like_the_others(client, staff):
    day = dt.date(2019, 3, 7)
    _sessions([_wib(day, 8)], state=Session.State.CANCELLED)
    _sessions([_wib(day, 9)])
    client.force_login(staff)
    shown = _day(client.get(reverse("outreach:session_calendar"), {"date": "2019-03-01"}), day)
    assert ([s.state for s in shown.sessions], shown.total) == (["cancelled", "proposed"], 2)


@pytest.mark.parametrize("narrowed_by", ["agency", "kecamatan"])
def test_filters_narrow_both_the_sessions_listed_and_the_day_totals(client, staff, village, narrowed_by):
    day = dt.date(2019, 3, 7)
    wanted_kim, wanted_agency = KimFactory(village=village), AgencyFactory()
    # The other sessions start first: they would take the day's places if the filter came after the ranking.
    _sessions([_wib(day, 7, minute) for minute in range(PER_DAY + 2)])
    _sessions([_wib(day, 9, minute) for minute in range(3)], kim=wanted_kim, agency=wanted_agency)
    params = {"agency": wanted_agency.pk} if narrowed_by == "agency" else {"kecamatan": "33.03.04"}
    client.force_login(staff)
    shown = _day(client.get(reverse("outreach:session_calendar"), {"date": "2019-03-01", **params}), day)
    assert [(s.kim, s.agency) for s in shown.sessions] == [(wanted_kim, wanted_agency)] * 3
    assert (shown.total, shown.more) == (3, 0)
