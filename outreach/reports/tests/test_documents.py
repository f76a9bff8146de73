"""A session's documents (issue 12): the agency's invitation to the village, the attendance sheet and the
activity report, rendered to PDF and read back as text; what a session still lacks before each is issued; who
reads and who issues them; and the agency's head and letterhead they are signed and headed with."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from kim.accounts.models import User
from kim.documents import services as documents
from kim.documents.models import IssuedDocument
from kim.documents.rendering import render_html, render_pdf
from outreach.reports import services
from outreach.reports.documents import ATTENDANCE, INVITATION, REPORT
from outreach.reports.services import AttendeeRow, FollowUpRow
from outreach.sessions.models import Session
from tests.factories import ResourcePersonFactory, SessionFactory, TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "media", "office_defaults")]

WIB = dt.timezone(dt.timedelta(hours=7))
# Thursday 10 January 2019, 09:00 to 11:00 WIB; "now" is the afternoon of the same day.
STARTS = dt.datetime(2019, 1, 10, 9, 0, tzinfo=WIB)
NOW = dt.datetime(2019, 1, 10, 14, 0, tzinfo=WIB)
HEAD_NIP = "197001011995031001"
State = Session.State


@pytest.fixture
def agency(agency):
    """Dinas Kesehatan with its head and the address of its letterhead."""
    agency.address = "Jl. Jenderal Soedirman No. 2"
    agency.postal_code = "53311"
    agency.phone = "0281891012"
    agency.email = "dinkes@purbalinggakab.go.id"
    agency.head_name = "dr. Hanung Wikantono"
    agency.head_nip = HEAD_NIP
    agency.head_position = "Kepala Dinas Kesehatan"
    agency.head_rank = "Pembina Utama Muda (IV/c)"
    agency.save()
    return agency


@pytest.fixture
def session(agency, kim, officer):
    officer.first_name, officer.last_name = "Sri", "Wahyuni"
    officer.save()
    session = SessionFactory(
        agency=agency,
        kim=kim,
        topic=TopicFactory(name="Penanggulangan stunting"),
        title="Sosialisasi Pencegahan Stunting",
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=2),
        venue="Balai Desa Selakambang",
        state=State.CONFIRMED,
        expected_audience=40,
        proposed_by=officer,
    )
    session.resource_persons.add(
        ResourcePersonFactory(name="dr. Ani Rahmawati", agency=agency, sector="Puskesmas Kaligondang")
    )
    return session


@pytest.fixture
def in_a_kelurahan(session):
    """The same session, its KIM's village a kelurahan led by a Lurah."""
    village = session.kim.village
    village.kind = "kelurahan"
    village.head_name = "Bambang Sutejo"
    village.save()
    return session


def _jpeg(colour) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, "JPEG")
    return SimpleUploadedFile("foto.jpg", out.getvalue(), "image/jpeg")


def _reported(session, officer, *, photos=0, attendees=None):
    Session.objects.filter(pk=session.pk).update(state=State.HELD)
    session.refresh_from_db()
    services.session_record_report(
        session=session,
        actor=officer,
        attended_male=12,
        attended_female=20,
        minutes="Pemaparan pencegahan stunting oleh bidan desa.\nTanya jawab dengan kader posyandu.",
        attendees=attendees or [],
        follow_ups=[
            FollowUpRow(action="Kelas ibu hamil", owner="Bidan desa", due_on=dt.date(2019, 2, 1)),
            FollowUpRow(action="Pendataan balita", owner="Kader posyandu", due_on=dt.date(2019, 1, 31)),
        ],
        photos=[_jpeg((40 * n, 90, 160)) for n in range(photos)],
    )
    return Session.objects.select_related("agency", "kim__village__district", "topic").get(pk=session.pk)


def _text(kind, session) -> str:
    reader = PdfReader(io.BytesIO(render_pdf(kind, session)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# The invitation


def test_the_invitation_is_the_agencys_letter_to_the_kepala_desa(session):
    text = _text(INVITATION, session)
    assert "PEMERINTAH KABUPATEN PURBALINGGA" in text and "DINAS KESEHATAN" in text
    assert "Jl. Jenderal Soedirman No. 2" in text and "53311" in text
    assert "Nomor : 005/" in text and "Sifat : Biasa" in text and "Lampiran : -" in text
    assert "Perihal : Undangan Sosialisasi Pencegahan Stunting" in text
    assert "Yth. Kepala Desa Selakambang" in text and "Lurah" not in text
    assert "Kamis, 10 Januari 2019" in text and "09.00 WIB s.d. selesai" in text
    assert "Balai Desa Selakambang" in text and "Penanggulangan stunting" in text
    assert "dr. Ani Rahmawati (Puskesmas Kaligondang)" in text
    assert "KIM Selakambang Maju" in text and "sekitar 40 orang" in text
    assert "Kepala Dinas Kesehatan" in text and "dr. Hanung Wikantono" in text
    assert "Pembina Utama Muda (IV/c)" in text and "NIP. 19700101 199503 1 001" in text
    assert "Purbalingga, 10 Januari 2019" in text


def test_the_invitation_to_a_kelurahan_goes_to_its_lurah(in_a_kelurahan):
    text = _text(INVITATION, in_a_kelurahan)
    assert "Yth. Lurah Selakambang" in text and "Kepala Desa" not in text


# The attendance sheet


def test_the_attendance_sheet_lists_the_typed_names_with_their_totals(session, officer):
    reported = _reported(
        session,
        officer,
        attendees=[
            AttendeeRow(name="Siti Aminah", origin="RT 02/RW 01", gender="P"),
            AttendeeRow(name="Budi Santoso", origin="Karang Taruna", gender="L"),
            AttendeeRow(name="Dewi Lestari", origin="PKK", gender="P"),
        ],
    )
    text = _text(ATTENDANCE, reported)
    assert "DAFTAR HADIR" in text and "Sosialisasi Pencegahan Stunting" in text
    assert "Kamis, 10 Januari 2019" in text and "Balai Desa Selakambang" in text
    assert "KIM Selakambang Maju" in text and "Selakambang, Kecamatan Kaligondang" in text
    assert "Siti Aminah" in text and "RT 02/RW 01" in text and "Budi Santoso" in text
    assert "laki-laki (L) 1 orang, perempuan (P) 2 orang; seluruhnya 3 orang" in text
    # The signature block is read row by row: the village head on the left, the organiser on the right.
    assert "Mengetahui, Penyelenggara, Kepala Desa Selakambang Petugas Dinas Kesehatan" in text
    assert "Sri Wahyuni" in text and "Lurah" not in text
    assert "Selakambang, 10 Januari 2019" in text
    assert 'class="blank-row"' not in render_html(ATTENDANCE, reported, for_pdf=True)


def test_without_names_the_attendance_sheet_has_blank_rows_to_fill_by_hand(session):
    html = render_html(ATTENDANCE, session, for_pdf=True)
    assert html.count('class="blank-row"') == 30
    assert "laki-laki (L) ……… orang" in _text(ATTENDANCE, session)


def test_the_attendance_sheet_of_a_kelurahan_is_countersigned_by_its_lurah(in_a_kelurahan):
    text = _text(ATTENDANCE, in_a_kelurahan)
    assert "Mengetahui, Penyelenggara, Lurah Selakambang Petugas Dinas Kesehatan Bambang Sutejo" in text
    assert "Kepala Desa" not in text


# The activity report


def test_the_activity_report_says_what_when_where_who_and_what_follows(session, officer):
    text = _text(REPORT, _reported(session, officer, attendees=[AttendeeRow(name="Siti Aminah")]))
    assert "LAPORAN KEGIATAN" in text and "Sosialisasi Pencegahan Stunting" in text
    assert "Penanggulangan stunting" in text and "Dinas Kesehatan" in text
    assert "Kamis, 10 Januari 2019, pukul 09.00 WIB s.d. 11.00 WIB" in text
    assert "Balai Desa Selakambang" in text and "KIM Selakambang Maju" in text
    assert "Desa : Selakambang, Kecamatan Kaligondang" in text
    assert "dr. Ani Rahmawati (Puskesmas Kaligondang)" in text
    assert "Laki-laki Perempuan Jumlah 12 orang 20 orang 32 orang" in text
    assert "Nama 1 peserta tercatat pada daftar hadir" in text
    assert "Tanya jawab dengan kader posyandu" in text
    assert "Pendataan balita Kader posyandu 31 Januari 2019 belum selesai" in text
    assert "Kelas ibu hamil Bidan desa 1 Februari 2019 belum selesai" in text
    assert (
        "Mengetahui, Pelapor, Kepala Dinas Kesehatan Petugas Dinas Kesehatan dr. Hanung Wikantono Sri Wahyuni"
        in text
    )
    assert "NIP. 19700101 199503 1 001" in text
    assert "Purbalingga, 10 Januari 2019" in text
    # The officer's account keeps no NIP: a dotted line to fill by hand.
    assert "NIP. ……" in text


def test_the_activity_report_prints_six_photos_and_says_how_many_more_are_kept(session, officer):
    reported = _reported(session, officer, photos=7)
    html = render_html(REPORT, reported, for_pdf=True)
    assert html.count('src="data:image/jpeg;base64,') == 6
    text = _text(REPORT, reported)
    assert "Lampiran: dokumentasi kegiatan" in text and "Foto 6" in text and "Foto 7" not in text
    assert "1 foto lainnya tersimpan di aplikasi KIM" in text


def test_on_the_screen_the_reports_photos_come_through_the_sessions_photo_page(session, officer):
    reported = _reported(session, officer, photos=1)
    photo = reported.photos.get()
    html = render_html(REPORT, reported, for_pdf=False)
    assert f'src="{reverse("outreach:session_photo", args=[reported.pk, photo.pk])}"' in html


# What a session lacks


def test_what_each_document_still_lacks_is_said_plainly(session, officer):
    assert INVITATION.missing(session) == []
    assert ATTENDANCE.missing(session) == []
    assert REPORT.missing(session) == ["laporan sesi belum dicatat"]
    session.agency.head_nip = ""
    session.agency.address = ""
    assert INVITATION.missing(session) == [
        "alamat Dinas Kesehatan untuk kop surat belum diisi di halaman instansi",
        "nama dan NIP kepala Dinas Kesehatan belum diisi di halaman instansi",
    ]
    reported = _reported(session, officer)
    assert REPORT.missing(reported) == []
    assert INVITATION.missing(reported) == [
        "sesi ini sudah terlaksana: undangan dibuat selagi sesi diusulkan atau dikonfirmasi"
    ]
    reported.state = State.CANCELLED
    assert [kind.missing(reported) for kind in (INVITATION, ATTENDANCE, REPORT)] == [
        ["sesi ini dibatalkan"]
    ] * 3


def test_the_title_on_the_public_check_page_names_no_person(session, officer):
    reported = _reported(session, officer, attendees=[AttendeeRow(name="Siti Aminah")])
    assert REPORT.title(reported) == (
        "Laporan Kegiatan Sosialisasi Pencegahan Stunting, KIM Selakambang Maju, Desa Selakambang, 10 Januari 2019"
    )
    assert INVITATION.filename(reported) == "undangan-selakambang-2019-01-10"


# Who reads and who issues


def _draft(name, session):
    return reverse("documents:draft", args=[name, session.pk])


@pytest.mark.parametrize("name", ["session.invitation", "session.attendance", "session.report"])
def test_an_officer_of_another_agency_and_the_head_of_another_village_find_nothing(
    client, session, other_officer, stranger, name
):
    for outsider in (other_officer, stranger):
        client.force_login(outsider)
        assert client.get(_draft(name, session)).status_code == 404
        assert client.get(reverse("documents:draft_pdf", args=[name, session.pk])).status_code == 404
        assert client.post(reverse("documents:issue", args=[name, session.pk])).status_code == 404


def test_the_village_head_reads_the_report_but_never_issues_it(client, session, officer, head):
    _reported(session, officer)
    client.force_login(head)
    assert client.get(_draft("session.report", session)).status_code == 200
    assert client.get(reverse("documents:draft_pdf", args=["session.report", session.pk])).status_code == 200
    assert client.post(reverse("documents:issue", args=["session.report", session.pk])).status_code == 403
    assert not IssuedDocument.objects.exists()


def test_the_agencys_officer_issues_the_report(client, session, officer):
    _reported(session, officer)
    client.force_login(officer)
    response = client.post(reverse("documents:issue", args=["session.report", session.pk]))
    assert response.status_code == 302
    issued = IssuedDocument.objects.get()
    assert response.url == reverse("documents:detail", args=[issued.pk])
    assert (issued.kind, issued.subject_id, issued.number) == (
        "session.report",
        session.pk,
        "400/001/IKP/2019",
    )


def test_the_session_page_lists_its_documents_with_the_issue_button_for_the_agency_only(
    client, session, officer, head
):
    client.force_login(officer)
    page = client.get(reverse("outreach:session_detail", args=[session.pk])).text
    assert page.count('action="/dokumen/session.') == 2  # the invitation and the attendance sheet
    assert "laporan sesi belum dicatat" in page
    client.force_login(head)
    page = client.get(reverse("outreach:session_detail", args=[session.pk])).text
    assert _draft("session.report", session) in page and "terbitkan" not in page


def test_the_old_attendance_sheet_address_leads_to_the_document(client, session, head, other_officer):
    client.force_login(head)
    url = reverse("outreach:session_attendance_sheet", args=[session.pk])
    assert client.get(url)["Location"] == _draft("session.attendance", session)
    client.force_login(other_officer)
    assert client.get(url).status_code == 404


# The agency's head and letterhead


def test_staff_keep_the_agencys_head_with_a_nip_typed_as_printed(client, staff, agency):
    client.force_login(staff)
    data = {
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": "dinas",
        "phone": "",
        "email": "",
        "address": "Jl. Jenderal Soedirman No. 2",
        "postal_code": "53311",
        "head_name": "dr. Hanung Wikantono",
        "head_nip": "19700101 199503 1 001",
        "head_position": "",
        "head_rank": "",
        "is_active": "on",
    }
    url = reverse("outreach:agency_edit", args=[agency.pk])
    assert client.post(url, data).status_code == 302
    agency.refresh_from_db()
    assert (agency.head_nip, agency.head_title) == (HEAD_NIP, "Kepala Dinas Kesehatan")
    response = client.post(url, {**data, "head_nip": "1970", "postal_code": "5331"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"head_nip", "postal_code"}
    agency.refresh_from_db()
    assert agency.postal_code == "53311"
    assert "dr. Hanung Wikantono" in client.get(reverse("outreach:agency_list")).text


# The demo


def test_each_kind_is_issued_from_the_demos_sessions_in_selakambang(media):
    call_command("import_areas", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    officer = User.objects.get(username="dinkes")
    in_selakambang = Session.objects.filter(kim__village_id="33.03.04.2006")
    reported = in_selakambang.get(state=State.REPORTED)
    confirmed = in_selakambang.get(state=State.CONFIRMED)
    assert reported.attendees.exists() and reported.photos.count() >= 2 and reported.follow_ups.exists()
    for kind, session in ((INVITATION, confirmed), (ATTENDANCE, reported), (REPORT, reported)):
        assert kind.missing(session) == [], kind.name
        document = documents.issue(kind, session, officer)
        assert document.number.startswith(f"{kind.classification}/")
        text = " ".join(PdfReader(document.file.open("rb")).pages[0].extract_text().split())
        assert "Selakambang" in text


def test_the_reporter_signs_with_the_position_rank_and_nip_their_account_keeps(
    staff_admin, media, office_defaults
):
    from outreach.reports.documents import officer_signer
    from tests.factories import AgencyFactory

    staff_admin.position = "Pranata Humas Ahli Muda"
    staff_admin.rank = "Penata (III/c)"
    staff_admin.nip = "198503122010012003"
    signer = officer_signer(staff_admin, AgencyFactory(), above="Pelapor,")
    assert (signer.position, signer.rank, signer.nip) == (
        "Pranata Humas Ahli Muda",
        "Penata (III/c)",
        "198503122010012003",
    )
