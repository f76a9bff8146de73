"""The history base (kim.lib.history) that formations, sessions and villages keep their lines on."""

import datetime as dt

import pytest
import time_machine

from kim.formation.models import FormationEvent, Step
from outreach.sessions.models import SessionEvent
from tests.factories import FormationFactory, SessionFactory
from villages.models import VillageChange

NOW = dt.datetime(2019, 3, 7, 2, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_recorded_line_says_who_did_what_to_which_subject_and_when(staff):
    formation = FormationFactory()

    line = FormationEvent.record(
        formation, actor=staff, step=Step.COORDINATION, kind=FormationEvent.Kind.DONE, notes="Balai desa"
    )

    line.refresh_from_db()
    assert (line.formation, line.actor, line.at) == (formation, staff, NOW)
    assert (line.step, line.kind, line.notes) == (Step.COORDINATION, "done", "Balai desa")


@pytest.mark.django_db
def test_a_session_line_may_have_no_notes_and_no_actor():
    session = SessionFactory()

    line = SessionEvent.record(session, actor=None, kind=SessionEvent.Kind.HELD)

    assert (line.session, line.actor, line.notes) == (session, None, "")


@pytest.mark.django_db
def test_a_long_reason_is_cut_to_its_column_rather_than_refused(staff):
    session = SessionFactory()

    line = SessionEvent.record(session, actor=staff, kind=SessionEvent.Kind.CANCELLED, notes="x" * 1500)

    line.refresh_from_db()
    assert line.notes == "x" * 1000


@pytest.mark.django_db
def test_a_village_line_keeps_its_text_in_details(village, staff):
    line = VillageChange.record(
        village, actor=staff, action=VillageChange.Action.CONTACTS, details="Kepala desa: - → Sutrisno" * 100
    )

    line.refresh_from_db()
    assert (line.village, line.actor, line.action) == (village, staff, "contacts")
    assert len(line.details) == 1000
    assert "notes" not in {field.name for field in VillageChange._meta.get_fields()}


def test_every_history_lists_its_newest_line_first():
    for history in (FormationEvent, SessionEvent, VillageChange):
        assert history._meta.ordering == ["-at", "-id"]
