"""The session list's download: each session with its time in WIB, its place, agency and topic, and once
reported its attendance by gender and its follow-up actions; filtered as the list was, within the person's
sessions."""

import datetime as dt

import pytest

from outreach.reports.models import FollowUp, SessionReport
from outreach.sessions.models import Session
from tests.exporting import csv_rows, download, sheet_rows
from tests.factories import AgencyFactory, KimFactory, SessionFactory, TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def sessions(village, other_village, agency):
    kim = KimFactory(village=village, name="KIM Selakambang Maju")
    reported = SessionFactory(
        kim=kim,
        agency=agency,
        topic=TopicFactory(name="Stunting"),
        title="Cegah stunting",
        state=Session.State.REPORTED,
        starts_at=dt.datetime(2019, 3, 7, 2, 0, tzinfo=dt.UTC),  # 09:00 WIB
    )
    SessionReport.objects.create(session=reported, attended_male=12, attended_female=30)
    for action in ("Posyandu", "Kelas ibu hamil"):
        FollowUp.objects.create(
            session=reported, action=action, owner="Bidan desa", due_on=dt.date(2019, 4, 1)
        )
    planned = SessionFactory(
        kim=KimFactory(village=other_village, name="KIM Kaligondang"),
        agency=AgencyFactory(name="Dinas Pertanian", short_name="Dinpertan"),
        title="Pupuk organik",
        starts_at=dt.datetime(2019, 3, 9, 1, 0, tzinfo=dt.UTC),
    )
    return reported, planned


def test_sessions_download_with_time_in_wib_attendance_and_follow_ups(client, staff, sessions):
    client.force_login(staff)
    rows = csv_rows(download(client, "sessions", "csv"))
    assert rows[0] == [
        "Starts (WIB)",
        "Ends (WIB)",
        "KIM",
        "Village",
        "Kecamatan",
        "Agency",
        "Topic",
        "Title",
        "State",
        "Men attending",
        "Women attending",
        "Total attending",
        "Follow-up actions",
    ]
    assert rows[1:] == [
        [
            "2019-03-09 08:00",
            "2019-03-09 10:00",
            "KIM Kaligondang",
            "Kaligondang",
            "Kaligondang",
            "Dinpertan",
            rows[1][6],
            "Pupuk organik",
            "proposed",
            "",
            "",
            "",
            "0",
        ],
        [
            "2019-03-07 09:00",
            "2019-03-07 11:00",
            "KIM Selakambang Maju",
            "Selakambang",
            "Kaligondang",
            "Dinkes",
            "Stunting",
            "Cegah stunting",
            "reported",
            "12",
            "30",
            "42",
            "2",
        ],
    ]


def test_sessions_download_as_excel_keeps_times_and_numbers(client, staff, sessions):
    client.force_login(staff)
    row = sheet_rows(download(client, "sessions", "xlsx", {"state": "reported"}))[1:]
    assert len(row) == 1
    assert row[0][0] == dt.datetime(2019, 3, 7, 9, 0)
    assert row[0][9:] == [12, 30, 42, 2]


def test_an_officer_downloads_only_their_agencys_sessions(client, officer, sessions):
    client.force_login(officer)
    rows = csv_rows(download(client, "sessions", "csv"))
    assert [row[7] for row in rows[1:]] == ["Cegah stunting"]
