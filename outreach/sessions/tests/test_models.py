"""What a session's state means, asked of the model (by pages) and of the queryset (by lists, the home
pages, the digest and the reminders)."""

import datetime as dt

import pytest

from outreach.sessions.models import Session
from tests.factories import SessionFactory

State = Session.State
NOW = dt.datetime(2019, 3, 7, 6, 0, tzinfo=dt.UTC)  # 13:00 WIB
HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        # is_proposed, is_confirmed, is_held, is_reported, is_cancelled, is_planned, has_taken_place,
        # awaits_report
        (State.PROPOSED, (True, False, False, False, False, True, False, False)),
        (State.CONFIRMED, (False, True, False, False, False, True, False, True)),
        (State.HELD, (False, False, True, False, False, False, True, True)),
        (State.REPORTED, (False, False, False, True, False, False, True, False)),
        (State.CANCELLED, (False, False, False, False, True, False, False, False)),
    ],
)
def test_each_state_answers_its_own_question(state, expected):
    session = Session(state=state)
    answers = (
        session.is_proposed,
        session.is_confirmed,
        session.is_held,
        session.is_reported,
        session.is_cancelled,
        session.is_planned,
        session.has_taken_place,
        session.awaits_report,
    )
    assert answers == expected


@pytest.mark.parametrize(
    ("state", "date_request", "asked"),
    [
        (State.PROPOSED, "Minggu depan saja, ada kerja bakti", True),
        (State.PROPOSED, "", False),
        # A reschedule or a confirmation answers the request; a stale text alone asks nothing.
        (State.CONFIRMED, "Minggu depan saja", False),
    ],
)
def test_another_date_is_asked_only_of_a_proposal(state, date_request, asked):
    assert Session(state=state, date_request=date_request).another_date_asked is asked


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "starts", "ends", "owed"),
    [
        (State.CONFIRMED, -3 * HOUR, -1 * HOUR, True),  # over, never marked held
        (State.HELD, -3 * HOUR, -1 * HOUR, True),  # held, no report yet
        (State.HELD, -2 * HOUR, dt.timedelta(0), True),  # it has just ended
        (State.HELD, -1 * HOUR, HOUR, False),  # still going on
        (State.CONFIRMED, HOUR, 3 * HOUR, False),  # still ahead
        (State.REPORTED, -3 * HOUR, -1 * HOUR, False),  # its report is recorded
        (State.PROPOSED, -3 * HOUR, -1 * HOUR, False),  # never confirmed, so never held
        (State.CANCELLED, -3 * HOUR, -1 * HOUR, False),
    ],
)
def test_a_report_is_owed_once_a_confirmed_or_held_session_has_ended(state, starts, ends, owed):
    session = SessionFactory(state=state, starts_at=NOW + starts, ends_at=NOW + ends)
    assert Session.objects.report_owed(now=NOW).filter(pk=session.pk).exists() is owed
    assert (session.awaits_report and session.ends_at <= NOW) is owed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "starts", "date_request", "waiting"),
    [
        (State.PROPOSED, HOUR, "", True),
        (State.PROPOSED, 60 * 24 * HOUR, "", True),  # however far ahead
        (State.PROPOSED, dt.timedelta(0), "", True),
        (State.PROPOSED, -HOUR, "", False),  # started without an answer
        (State.PROPOSED, HOUR, "Minggu depan saja", False),  # the agency must answer first
        (State.CONFIRMED, HOUR, "", False),
        (State.CANCELLED, HOUR, "", False),
    ],
)
def test_a_proposal_still_ahead_waits_for_the_village_head(state, starts, date_request, waiting):
    session = SessionFactory(state=state, starts_at=NOW + starts, date_request=date_request)
    assert Session.objects.awaiting_confirmation(now=NOW).filter(pk=session.pk).exists() is waiting
