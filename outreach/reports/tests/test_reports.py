"""After a session: marking it held, recording and correcting its report, follow-ups, photos, the printable
attendance sheet, and who may do what."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from outreach.reports import services
from outreach.reports.models import Attendee, FollowUp, SessionPhoto, SessionReport
from outreach.reports.services import AttendeeRow, FollowUpRow
from outreach.sessions.models import Session, SessionEvent
from tests.factories import SessionFactory, TopicFactory
from tests.samples import JPEG, PNG

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen", "media")]

WIB = dt.timezone(dt.timedelta(hours=7))
# Thursday 7 March 2019, 09:00 to 11:00 WIB; "now" is the afternoon of the same day.
STARTS = dt.datetime(2019, 3, 7, 9, 0, tzinfo=WIB)
ENDS = dt.datetime(2019, 3, 7, 11, 0, tzinfo=WIB)
NOW = dt.datetime(2019, 3, 7, 14, 0, tzinfo=WIB)
TODAY = dt.date(2019, 3, 7)
State = Session.State


@pytest.fixture
def confirmed_session(agency, kim):
    """This morning's session, confirmed by the village: the officer may now mark it held."""
    return SessionFactory(
        agency=agency,
        kim=kim,
        topic=TopicFactory(name="Penanggulangan stunting"),
        title="Cegah stunting",
        starts_at=STARTS,
        ends_at=ENDS,
        venue="Balai Desa Selakambang",
        state=State.CONFIRMED,
    )


@pytest.fixture
def held(confirmed_session):
    Session.objects.filter(pk=confirmed_session.pk).update(state=State.HELD)
    confirmed_session.refresh_from_db()
    return confirmed_session


def _kinds(session):
    return list(session.events.order_by("at", "id").values_list("kind", flat=True))


def _report(session, actor, **overrides):
    values = {
        "session": session,
        "actor": actor,
        "attended_male": 12,
        "attended_female": 20,
        "minutes": "Isi",
    }
    return services.session_record_report(**{**values, **overrides})


def _post_data(**overrides):
    data = {
        "attended_male": "12",
        "attended_female": "20",
        "names": "Siti Aminah; RT 02/RW 01; P\nBudi\n\n",
        "minutes": "Pemaparan pencegahan stunting.",
        "follow_ups-TOTAL_FORMS": "2",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "30",
        "follow_ups-0-action": "Kelas ibu hamil",
        "follow_ups-0-owner": "Bidan desa",
        "follow_ups-0-due_on": "2019-04-01",
    }
    return {**data, **overrides}


def _snapshot():
    return (
        list(Session.objects.values_list("pk", "state")),
        list(SessionReport.objects.values_list("pk", "attended_male", "attended_female", "minutes")),
        list(Attendee.objects.values_list("pk", "name")),
        list(FollowUp.objects.values_list("pk", "action", "done_on")),
        SessionPhoto.objects.count(),
        SessionEvent.objects.count(),
    )


# Services


def test_an_officer_marks_a_started_confirmed_session_as_held_once(confirmed_session, officer):
    assert services.session_mark_held(session=confirmed_session, actor=officer) is True
    assert services.session_mark_held(session=confirmed_session, actor=officer) is False
    confirmed_session.refresh_from_db()
    assert confirmed_session.state == State.HELD
    assert _kinds(confirmed_session) == [SessionEvent.Kind.HELD]


def test_a_future_session_cannot_be_marked_held(agency, kim, officer):
    future = SessionFactory(
        agency=agency, kim=kim, state=State.CONFIRMED, starts_at=NOW + dt.timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as error:
        services.session_mark_held(session=future, actor=officer)
    assert error.value.code == "future"
    future.refresh_from_db()
    assert future.state == State.CONFIRMED


def test_a_proposed_session_cannot_be_marked_held(confirmed_session, officer):
    Session.objects.filter(pk=confirmed_session.pk).update(state=State.PROPOSED)
    with pytest.raises(ValidationError):
        services.session_mark_held(session=confirmed_session, actor=officer)


def test_an_officer_of_another_agency_cannot_mark_held(confirmed_session, other_officer):
    with pytest.raises(PermissionDenied):
        services.session_mark_held(session=confirmed_session, actor=other_officer)


def test_recording_the_report_moves_the_session_to_reported(held, officer):
    report = _report(
        held,
        officer,
        attendees=[AttendeeRow(name="Siti", origin="RT 02", gender="P")],
        follow_ups=[FollowUpRow(action="Kelas ibu hamil", owner="Bidan", due_on=dt.date(2019, 4, 1))],
    )
    held.refresh_from_db()
    assert held.state == State.REPORTED
    assert report.attended == 32
    assert report.recorded_by == officer
    assert list(held.attendees.values_list("name", "gender")) == [("Siti", "P")]
    assert list(held.follow_ups.values_list("action", flat=True)) == ["Kelas ibu hamil"]
    assert _kinds(held) == [SessionEvent.Kind.REPORTED]


def test_a_corrected_report_replaces_names_and_keeps_the_session_reported(held, officer, staff):
    _report(held, officer, attendees=[AttendeeRow(name="Siti")])
    _report(held, staff, attended_male=3, attendees=[AttendeeRow(name="Budi"), AttendeeRow(name="Ani")])
    held.refresh_from_db()
    assert held.state == State.REPORTED
    assert SessionReport.objects.get(session=held).attended_male == 3
    assert list(held.attendees.values_list("name", flat=True)) == ["Budi", "Ani"]
    assert SessionReport.objects.count() == 1


def test_a_report_needs_a_held_session(confirmed_session, officer):
    with pytest.raises(ValidationError):
        _report(confirmed_session, officer)
    assert not SessionReport.objects.exists()


def test_a_follow_up_is_completed_once(held, officer):
    _report(held, officer, follow_ups=[FollowUpRow(action="A", owner="B", due_on=TODAY)])
    item = held.follow_ups.get()
    assert services.follow_up_complete(follow_up=item, actor=officer, done_on=TODAY) is True
    assert services.follow_up_complete(follow_up=item, actor=officer, done_on=TODAY) is False
    assert FollowUp.objects.open().count() == 0


# Pages


def test_the_officer_marks_held_from_the_session_page(client, officer, confirmed_session):
    client.force_login(officer)
    page = client.get(reverse("outreach:session_detail", args=[confirmed_session.pk]))
    assert reverse("outreach:session_held", args=[confirmed_session.pk]) in page.text
    response = client.post(reverse("outreach:session_held", args=[confirmed_session.pk]), follow=True)
    assert "marked as held" in response.text
    confirmed_session.refresh_from_db()
    assert confirmed_session.state == State.HELD


def test_marking_held_refuses_get(client, officer, confirmed_session):
    client.force_login(officer)
    assert client.get(reverse("outreach:session_held", args=[confirmed_session.pk])).status_code == 405


def test_a_future_session_cannot_be_marked_held_through_the_page(client, officer, agency, kim):
    future = SessionFactory(
        agency=agency, kim=kim, state=State.CONFIRMED, starts_at=NOW + dt.timedelta(days=1)
    )
    client.force_login(officer)
    response = client.post(reverse("outreach:session_held", args=[future.pk]), follow=True)
    assert "has not started yet" in response.text
    future.refresh_from_db()
    assert future.state == State.CONFIRMED


def test_the_officer_records_the_report_with_names_follow_ups_and_photos(client, officer, held):
    client.force_login(officer)
    assert client.get(reverse("outreach:session_report", args=[held.pk])).status_code == 200
    photos = [SimpleUploadedFile("a.png", PNG, "image/png"), SimpleUploadedFile("b.jpg", JPEG, "image/jpeg")]
    response = client.post(reverse("outreach:session_report", args=[held.pk]), _post_data(photos=photos))
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.state == State.REPORTED
    assert list(held.attendees.values_list("name", "origin", "gender")) == [
        ("Siti Aminah", "RT 02/RW 01", "P"),
        ("Budi", "", ""),
    ]
    assert held.follow_ups.get().owner == "Bidan desa"
    assert held.photos.count() == 2
    page = client.get(reverse("outreach:session_detail", args=[held.pk]))
    assert "32 people: 12 men, 20 women" in page.text
    photo = held.photos.order_by("pk").first()
    assert reverse("outreach:session_photo", args=[held.pk, photo.pk]) in page.text
    assert reverse("outreach:session_photo_thumbnail", args=[held.pk, photo.pk]) in page.text
    served = client.get(reverse("outreach:session_photo", args=[held.pk, photo.pk]))
    assert served["Content-Type"] == "image/jpeg"  # each photo is stored as a JPEG, a PNG laid on white
    with photo.image.open("rb") as stored:
        assert b"".join(served.streaming_content) == stored.read()


def test_a_follow_up_owners_phone_is_kept_in_the_plus_62_form(client, officer, held):
    client.force_login(officer)
    data = _post_data(**{"follow_ups-0-owner_phone": "0813 9999 8888"})
    assert client.post(reverse("outreach:session_report", args=[held.pk]), data).status_code == 302
    assert held.follow_ups.get().owner_phone == "+6281399998888"


def test_a_bad_follow_up_phone_is_explained_and_nothing_is_saved(client, officer, held):
    client.force_login(officer)
    before = _snapshot()
    data = _post_data(**{"follow_ups-0-owner_phone": "12ab"})
    response = client.post(reverse("outreach:session_report", args=[held.pk]), data)
    assert response.status_code == 200
    assert response.context["follow_ups"].forms[0].errors["owner_phone"]
    assert _snapshot() == before


def test_the_report_form_shows_the_report_again_for_correction(client, officer, held):
    _report(held, officer, attendees=[AttendeeRow(name="Siti", origin="RT 02", gender="P")])
    client.force_login(officer)
    page = client.get(reverse("outreach:session_report", args=[held.pk]))
    assert "Siti; RT 02; P" in page.text
    response = client.post(reverse("outreach:session_report", args=[held.pk]), _post_data(attended_male="3"))
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.state == State.REPORTED
    assert held.report.attended_male == 3


def test_an_officer_removes_and_edits_follow_ups_when_correcting(client, officer, held):
    _report(
        held,
        officer,
        follow_ups=[
            FollowUpRow(action="Lama", owner="A", due_on=TODAY),
            FollowUpRow(action="Hapus", owner="B", due_on=TODAY),
        ],
    )
    keep, drop = held.follow_ups.order_by("pk")
    data = _post_data(
        **{
            "follow_ups-TOTAL_FORMS": "2",
            "follow_ups-INITIAL_FORMS": "2",
            "follow_ups-0-follow_up": str(keep.pk),
            "follow_ups-0-action": "Baru",
            "follow_ups-0-owner": "A",
            "follow_ups-0-due_on": "2019-03-20",
            "follow_ups-1-follow_up": str(drop.pk),
            "follow_ups-1-action": "Hapus",
            "follow_ups-1-owner": "B",
            "follow_ups-1-due_on": "2019-03-07",
            "follow_ups-1-DELETE": "on",
        }
    )
    client.force_login(officer)
    assert client.post(reverse("outreach:session_report", args=[held.pk]), data).status_code == 302
    assert list(held.follow_ups.values_list("pk", "action")) == [(keep.pk, "Baru")]


def test_a_report_cannot_be_recorded_before_the_session_is_held(client, officer, confirmed_session):
    client.force_login(officer)
    response = client.post(reverse("outreach:session_report", args=[confirmed_session.pk]), _post_data())
    assert response.status_code == 302
    assert not SessionReport.objects.exists()


def test_an_officer_of_another_agency_cannot_report(client, other_officer, held):
    client.force_login(other_officer)
    assert client.get(reverse("outreach:session_report", args=[held.pk])).status_code == 404
    assert client.post(reverse("outreach:session_report", args=[held.pk]), _post_data()).status_code == 404
    assert client.post(reverse("outreach:session_held", args=[held.pk])).status_code == 404
    assert not SessionReport.objects.exists()


def test_the_village_head_reads_the_report_but_cannot_record_it(client, officer, head, held):
    _report(held, officer, minutes="Ringkasan pertemuan")
    client.force_login(head)
    page = client.get(reverse("outreach:session_detail", args=[held.pk]))
    assert "Ringkasan pertemuan" in page.text
    assert reverse("outreach:session_report", args=[held.pk]) not in page.text
    assert client.get(reverse("outreach:session_report", args=[held.pk])).status_code == 403
    assert client.post(reverse("outreach:session_report", args=[held.pk]), _post_data()).status_code == 403
    assert client.post(reverse("outreach:session_held", args=[held.pk])).status_code == 403


def test_the_head_of_another_village_gets_404(client, stranger, held):
    client.force_login(stranger)
    assert client.get(reverse("outreach:session_detail", args=[held.pk])).status_code == 404
    assert client.get(reverse("outreach:session_attendance_sheet", args=[held.pk])).status_code == 404


def test_a_wrong_photo_type_is_refused_and_nothing_is_saved(client, officer, held, media):
    client.force_login(officer)
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", "image/jpeg")
    good = SimpleUploadedFile("a.png", PNG, "image/png")
    before = _snapshot()
    response = client.post(
        reverse("outreach:session_report", args=[held.pk]), _post_data(photos=[good, fake])
    )
    assert response.status_code == 200
    assert "This file type is not accepted" in response.text
    assert _snapshot() == before
    assert not any(path.is_file() for path in media.rglob("*"))


def test_more_than_ten_photos_are_refused(client, officer, held):
    client.force_login(officer)
    photos = [SimpleUploadedFile(f"{n}.png", PNG, "image/png") for n in range(11)]
    response = client.post(reverse("outreach:session_report", args=[held.pk]), _post_data(photos=photos))
    assert response.status_code == 200
    assert not SessionPhoto.objects.exists()


def test_a_bad_names_line_is_explained(client, officer, held):
    client.force_login(officer)
    response = client.post(
        reverse("outreach:session_report", args=[held.pk]), _post_data(names="Siti; RT 1; X")
    )
    assert response.status_code == 200
    assert "Line 1" in response.text
    assert not SessionReport.objects.exists()


def test_a_photo_of_another_session_is_404(client, officer, held, agency, kim):
    other = SessionFactory(agency=agency, kim=kim, state=State.HELD)
    _report(other, officer, photos=[SimpleUploadedFile("a.png", PNG, "image/png")])
    client.force_login(officer)
    photo = other.photos.get()
    assert client.get(reverse("outreach:session_photo", args=[held.pk, photo.pk])).status_code == 404
    assert client.get(reverse("outreach:session_photo", args=[other.pk, photo.pk])).status_code == 200


def test_the_officer_marks_a_follow_up_done(client, officer, held):
    _report(held, officer, follow_ups=[FollowUpRow(action="A", owner="B", due_on=dt.date(2019, 3, 1))])
    item = held.follow_ups.get()
    client.force_login(officer)
    page = client.get(reverse("outreach:session_detail", args=[held.pk]))
    assert "overdue" in page.text
    url = reverse("outreach:follow_up_done", args=[held.pk, item.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"done_on": "2019-03-06"}, follow=True)
    assert "marked as done" in response.text
    item.refresh_from_db()
    assert item.done_on == dt.date(2019, 3, 6)


def test_a_follow_up_cannot_be_done_in_the_future(client, officer, held):
    _report(held, officer, follow_ups=[FollowUpRow(action="A", owner="B", due_on=TODAY)])
    item = held.follow_ups.get()
    client.force_login(officer)
    client.post(reverse("outreach:follow_up_done", args=[held.pk, item.pk]), {"done_on": "2019-03-08"})
    item.refresh_from_db()
    assert item.done_on is None


def test_a_village_head_cannot_mark_a_follow_up_done(client, officer, head, held):
    _report(held, officer, follow_ups=[FollowUpRow(action="A", owner="B", due_on=TODAY)])
    item = held.follow_ups.get()
    client.force_login(head)
    url = reverse("outreach:follow_up_done", args=[held.pk, item.pk])
    assert client.post(url, {"done_on": "2019-03-07"}).status_code == 403
    item.refresh_from_db()
    assert item.done_on is None


def test_an_officer_of_another_agency_cannot_print_the_sheet(client, other_officer, confirmed_session):
    client.force_login(other_officer)
    assert (
        client.get(reverse("outreach:session_attendance_sheet", args=[confirmed_session.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("count", [1, 10])
def test_the_reported_session_page_runs_a_fixed_number_of_queries(
    client, staff, officer, held, django_assert_num_queries, count
):
    _report(
        held,
        officer,
        attendees=[AttendeeRow(name=f"Warga {n}") for n in range(count)],
        follow_ups=[FollowUpRow(action=f"Aksi {n}", owner="Bidan", due_on=TODAY) for n in range(count)],
        photos=[SimpleUploadedFile(f"{n}.png", PNG, "image/png") for n in range(count)],
    )
    client.force_login(staff)
    # user, the navbar's counts, session, resource persons, history, its documents; report, its recorder, names,
    # photos, follow-ups
    with django_assert_num_queries(11):
        response = client.get(reverse("outreach:session_detail", args=[held.pk]))
    assert response.text.count('id="follow-up-') == count


# Junk into the report form

TEXT = st.text(max_size=60)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "attended_male": st.one_of(TEXT, st.integers().map(str)),
            "attended_female": st.one_of(TEXT, st.integers().map(str)),
            "names": TEXT,
            "minutes": TEXT,
            "remove_photos": st.one_of(TEXT, st.integers().map(str)),
            "follow_ups-TOTAL_FORMS": st.one_of(TEXT, st.integers().map(str)),
            "follow_ups-INITIAL_FORMS": st.one_of(TEXT, st.integers().map(str)),
            "follow_ups-0-follow_up": st.one_of(TEXT, st.integers().map(str)),
            "follow_ups-0-action": TEXT,
            "follow_ups-0-owner": TEXT,
            "follow_ups-0-due_on": TEXT,
            "follow_ups-0-DELETE": TEXT,
        },
    ),
    photo=st.one_of(st.none(), st.binary(max_size=64)),
)
@example(
    data={"attended_male": "100001", "follow_ups-TOTAL_FORMS": "1", "follow_ups-INITIAL_FORMS": "0"},
    photo=None,
)
@example(
    data={
        "attended_male": "1",
        "attended_female": "1",
        "follow_ups-TOTAL_FORMS": "1",
        "follow_ups-INITIAL_FORMS": "1",
        "follow_ups-0-follow_up": "9223372036854775808",
        "follow_ups-0-due_on": "0001-01-01",
    },
    photo=b"GIF89a",
)
@example(data={"remove_photos": "9223372036854775808"}, photo=None)
def test_the_report_form_survives_any_input(client, officer, held, data, photo):
    client.force_login(officer)
    Session.objects.filter(pk=held.pk).update(state=State.HELD)
    before = _snapshot()
    if photo is not None:
        data = {**data, "photos": io.BytesIO(photo)}
    response = client.post(reverse("outreach:session_report", args=[held.pk]), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _snapshot() == before, "a refused form changed the database"
    else:
        SessionReport.objects.all().delete()
        Attendee.objects.all().delete()
        FollowUp.objects.all().delete()
        SessionPhoto.objects.all().delete()
