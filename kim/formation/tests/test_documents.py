"""The documents of a KIM formation (issue 12): the berita acara of the village meeting, the draft decree of the
Kepala Desa or Lurah, and the office's invitation to the briefing; what each prints, what each still lacks,
who may read and issue them; and the pages that record what they print."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kim.documents import registry, services
from kim.documents.models import IssuedDocument
from kim.documents.rendering import render_pdf
from kim.formation import services as formation_services
from kim.formation.models import Formation
from kim.office.models import Signatory
from kim.register.models import Kim, Member
from tests.factories import CommunityGroupFactory, UserFactory, VillageFactory
from tests.samples import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("office_defaults", "media")]

WIB = ZoneInfo(settings.TIME_ZONE)
MEETING_DAY = dt.date(2019, 2, 11)  # a Monday
BRIEFING = dt.datetime(2019, 3, 20, 9, 0, tzinfo=WIB)  # a Wednesday
OFFICERS = [
    {"name": "Wahyu Hidayat", "position": Member.Position.KETUA, "phone": "", "gender": "L"},
    {"name": "Dewi Lestari", "position": Member.Position.SEKRETARIS, "phone": "", "gender": "P"},
    {"name": "Sri Mulyani", "position": Member.Position.BENDAHARA, "phone": "", "gender": "P"},
]
MINUTES = formation_services.MeetingMinutes(
    place="Balai Desa Selakambang", chair="Suparno", note_taker="Siti Rohmah", men=21, women=17
)
LURAH_NIP = "197205142000031002"
HEAD_OF_OFFICE = {
    "name": "Dr. Bambang Sutrisno, M.Si.",
    "nip": "197001011995031001",
    "rank": "Pembina Utama Muda (IV/c)",
    "position": "Kepala Dinas Komunikasi dan Informatika",
}

MINUTES_KIND, DECREE, INVITATION = "formation.minutes", "formation.decree", "formation.briefing_invitation"


def _kind(name):
    return registry.kind(name)


def _pages(pdf: bytes) -> list[str]:
    """Each page's words, each run of white space as one space."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _text(pdf: bytes) -> str:
    return " ".join(_pages(pdf))


def _formed(village, staff, *, minutes=MINUTES, plan=True, group=None) -> Formation:
    """A formation of `village` in 2019 taken through its meeting, the head's confirmation on paper and
    its decree; the briefing planned unless `plan` is False."""
    formation = formation_services.target_set(year=2019, villages=[village], actor=staff)[0].formation
    formation_services.formation_record_coordination(
        formation=formation, actor=staff, coordinated_on=dt.date(2019, 1, 14), notes=""
    )
    formation_services.formation_choose_path(
        formation=formation,
        actor=staff,
        origin=Kim.Origin.ADOPTED if group else Kim.Origin.NEW,
        community_group=group,
        name=f"KIM {village.name}",
    )
    formation_services.formation_record_meeting(
        formation=formation, actor=staff, meeting_on=MEETING_DAY, notes="", officers=OFFICERS, minutes=minutes
    )
    formation_services.formation_record_paper_confirmation(
        formation=formation, actor=staff, letter=SimpleUploadedFile("surat.pdf", PDF, "application/pdf")
    )
    if plan:
        formation_services.formation_plan_briefing(
            formation=formation, actor=staff, planned_at=BRIEFING, place="Aula Dinkominfo"
        )
    return Formation.objects.select_related("target__village__district", "kim__community_group").get(
        pk=formation.pk
    )


@pytest.fixture
def desa(village):
    village.head_name = "Sutrisno"
    village.save()
    return village


@pytest.fixture
def kelurahan(db):
    return VillageFactory(
        code="33.03.08.1001",
        name="Bancar",
        kind="kelurahan",
        head_name="Agus Salim, S.IP.",
        head_nip=LURAH_NIP,
        district__code="33.03.08",
        district__name="Purbalingga",
    )


@pytest.fixture
def formation(desa, staff):
    return _formed(desa, staff)


@pytest.fixture
def head_of_office():
    Signatory.objects.filter(role="head").update(**HEAD_OF_OFFICE, is_placeholder=False)


# The berita acara


def test_the_minutes_say_when_where_who_led_who_came_and_what_was_decided(formation):
    text = _text(render_pdf(_kind(MINUTES_KIND), formation))
    assert "PEMERINTAH KABUPATEN PURBALINGGA KECAMATAN KALIGONDANG DESA SELAKAMBANG" in text
    assert "BERITA ACARA MUSYAWARAH DESA SELAKAMBANG" in text
    assert "Pada hari ini, Senin, 11 Februari 2019, bertempat di Balai Desa Selakambang" in text
    assert "Pimpinan musyawarah : Suparno" in text
    assert "Notulis : Siti Rohmah" in text
    assert "38 orang, terdiri atas 21 orang laki-laki dan 17 orang perempuan" in text
    assert "dengan nama KIM Selakambang, sebagai kelompok baru" in text
    for row in ("1. Wahyu Hidayat Ketua", "2. Dewi Lestari Sekretaris", "3. Sri Mulyani Bendahara"):
        assert row in text
    assert "Selakambang, 11 Februari 2019" in text
    assert "Pimpinan Musyawarah Notulis" in text
    assert "Mengetahui, Kepala Desa Selakambang" in text
    assert "Sutrisno" in text
    assert "NIP" not in text  # nobody here is a civil servant


def test_the_minutes_name_the_existing_group_that_takes_on_the_work(desa, staff):
    pkk = CommunityGroupFactory(village=desa, name="TP PKK Desa Selakambang")
    text = _text(render_pdf(_kind(MINUTES_KIND), _formed(desa, staff, group=pkk)))
    assert "tambahan fungsi pengelolaan dan penyebarluasan informasi kepada kelompok yang telah ada" in text
    assert "TP PKK Desa Selakambang, sehingga tidak dibentuk kelompok baru" in text


def test_without_a_count_the_minutes_point_to_the_attendance_list(desa, staff):
    minutes = formation_services.MeetingMinutes(place="Balai Desa", chair="Suparno", note_taker="Siti Rohmah")
    text = _text(render_pdf(_kind(MINUTES_KIND), _formed(desa, staff, minutes=minutes)))
    assert "Peserta yang hadir : sebagaimana tercatat dalam daftar hadir" in text
    assert "laki-laki" not in text


def test_a_kelurahans_minutes_are_acknowledged_by_the_lurah_with_his_nip(kelurahan, staff):
    text = _text(render_pdf(_kind(MINUTES_KIND), _formed(kelurahan, staff)))
    assert "KELURAHAN BANCAR" in text
    assert "Mengetahui, Lurah Bancar" in text
    assert "Agus Salim, S.IP. NIP. 19720514 200003 1 002" in text
    assert "Kepala Desa" not in text


# The draft decree


def test_the_draft_decree_of_a_kepala_desa(formation):
    pages = _pages(render_pdf(_kind(DECREE), formation))
    year = timezone.localdate().year
    decree = " ".join(pages[:-1])
    assert "KEPUTUSAN KEPALA DESA SELAKAMBANG" in decree
    assert f"NOMOR …… TAHUN {year}" in decree
    assert (
        "TENTANG PEMBENTUKAN KELOMPOK INFORMASI MASYARAKAT (KIM) SELAKAMBANG DESA SELAKAMBANG KECAMATAN"
        in decree
    )
    for heading in ("Menimbang", "Mengingat", "MEMUTUSKAN", "Menetapkan", "KESATU", "KEDUA", "KELIMA"):
        assert heading in decree
    assert "Undang-Undang Nomor 6 Tahun 2014 tentang Desa" in decree
    assert "hari Senin, 11 Februari 2019" in decree
    assert "Ditetapkan di Selakambang pada tanggal" in decree
    assert "KEPALA DESA SELAKAMBANG, Sutrisno" in decree
    assert "NIP" not in decree
    # The officers are its annex, on a page of their own.
    annex = pages[-1]
    assert len(pages) >= 2
    assert annex.startswith("LAMPIRAN : KEPUTUSAN KEPALA DESA SELAKAMBANG")
    assert "SUSUNAN PENGURUS" in annex
    for row in ("1. Wahyu Hidayat Ketua", "2. Dewi Lestari Sekretaris", "3. Sri Mulyani Bendahara"):
        assert row in annex
        assert row not in decree


def test_a_kelurahans_decree_is_the_lurahs_and_signed_with_a_nip(kelurahan, staff):
    pages = _pages(render_pdf(_kind(DECREE), _formed(kelurahan, staff)))
    text = " ".join(pages)
    assert "KEPUTUSAN LURAH BANCAR" in text
    assert "Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan" in text
    assert "Undang-Undang Nomor 6 Tahun 2014 tentang Desa" not in text
    assert "LURAH BANCAR, Agus Salim, S.IP. NIP. 19720514 200003 1 002" in text
    assert "Kepala Desa" not in text
    assert "Lurah Bancar" in pages[-1] or "LURAH BANCAR" in pages[-1]


# The invitation to the briefing


def test_the_invitation_to_the_briefing(formation, head_of_office):
    pages = _pages(render_pdf(_kind(INVITATION), formation))
    letter = pages[0]
    assert "DINAS KOMUNIKASI DAN INFORMATIKA" in letter
    assert "Nomor : 005/" in letter
    assert "Sifat : Penting" in letter
    assert "Lampiran : 1 (satu) lembar" in letter
    assert "Perihal : Undangan Pembekalan KIM Selakambang" in letter
    assert "Kepada Yth. Kepala Desa Selakambang u.p. Pengurus KIM Selakambang" in letter
    assert "Hari, tanggal : Rabu, 20 Maret 2019" in letter
    assert "Waktu : 09.00 WIB" in letter
    assert "Tempat : Aula Dinkominfo" in letter
    assert "Senin, 11 Februari 2019" in letter
    assert "Dr. Bambang Sutrisno, M.Si. Pembina Utama Muda (IV/c) NIP. 19700101 199503 1 001" in letter
    annex = pages[-1]
    assert "DAFTAR PENGURUS KIM SELAKAMBANG YANG DIUNDANG" in annex
    assert "1. Wahyu Hidayat Ketua" in annex


def test_a_kelurahans_invitation_goes_through_the_lurah(kelurahan, staff):
    text = _text(render_pdf(_kind(INVITATION), _formed(kelurahan, staff)))
    assert "Kepada Yth. Lurah Bancar u.p. Pengurus KIM Bancar" in text
    assert "Kepala Desa" not in text


# What each still lacks


def test_what_a_formation_before_its_meeting_lacks(desa, staff):
    formation = formation_services.target_set(year=2019, villages=[desa], actor=staff)[0].formation
    for name in (MINUTES_KIND, DECREE, INVITATION):
        missing = _kind(name).missing(formation)
        assert "tanggal musyawarah belum dicatat" in missing
        assert "pengurus belum dipilih" in missing
        assert "nama KIM belum ditetapkan (jalur pembentukan belum dipilih)" in missing
    assert "rencana pembekalan (hari, jam dan tempat) belum dicatat" in _kind(INVITATION).missing(formation)


def test_a_meeting_without_its_place_and_people_cannot_have_its_minutes_issued(desa, staff):
    formation = _formed(desa, staff, minutes=formation_services.MeetingMinutes(), plan=False)
    assert _kind(MINUTES_KIND).missing(formation) == [
        "tempat musyawarah belum dicatat",
        "pimpinan musyawarah belum dicatat",
        "notulis musyawarah belum dicatat",
    ]
    assert _kind(DECREE).missing(formation) == []
    assert _kind(INVITATION).missing(formation) == ["rencana pembekalan (hari, jam dan tempat) belum dicatat"]


def test_the_village_heads_name_and_a_lurahs_nip_are_needed_to_sign(village, kelurahan, staff):
    kelurahan.head_nip = ""
    kelurahan.save()
    assert _kind(DECREE).missing(_formed(village, staff)) == ["nama Kepala Desa belum dicatat pada data desa"]
    assert _kind(DECREE).missing(_formed(kelurahan, staff)) == ["NIP Lurah belum dicatat pada data desa"]
    assert _kind(INVITATION).missing(_formed(VillageFactory(), staff)) == []


def test_titles_name_the_place_and_no_person(formation):
    assert _kind(MINUTES_KIND).title(formation) == (
        "Berita Acara Musyawarah Pembentukan KIM Desa Selakambang, Kecamatan Kaligondang"
    )
    assert _kind(DECREE).title(formation) == (
        "Rancangan Keputusan Kepala Desa tentang Pembentukan KIM Desa Selakambang, Kecamatan Kaligondang"
    )
    assert (
        _kind(INVITATION).title(formation)
        == "Undangan Pembekalan KIM Desa Selakambang, Kecamatan Kaligondang"
    )


# Who reads and who issues


def test_the_head_of_another_village_finds_nothing(client_for, stranger, formation):
    client = client_for(stranger)
    for name in (MINUTES_KIND, DECREE, INVITATION):
        assert client.get(reverse("documents:draft", args=[name, formation.pk])).status_code == 404
        assert client.get(reverse("documents:draft_pdf", args=[name, formation.pk])).status_code == 404


def test_the_village_head_reads_the_drafts_but_does_not_issue(client_for, head, formation):
    client = client_for(head)
    draft = client.get(reverse("documents:draft", args=[MINUTES_KIND, formation.pk]))
    assert draft.status_code == 200
    assert "Balai Desa Selakambang" in draft.content.decode()
    assert client.get(reverse("documents:draft_pdf", args=[DECREE, formation.pk])).status_code == 200
    assert client.post(reverse("documents:issue", args=[MINUTES_KIND, formation.pk])).status_code == 403
    assert not IssuedDocument.objects.exists()


def test_a_leader_reads_the_drafts(client_for, leader, formation):
    response = client_for(leader).get(reverse("documents:draft", args=[INVITATION, formation.pk]))
    assert response.status_code == 200


def test_staff_issue_each_kind(client_for, staff, formation):
    client = client_for(staff)
    for name in (MINUTES_KIND, DECREE, INVITATION):
        response = client.post(reverse("documents:issue", args=[name, formation.pk]))
        document = IssuedDocument.objects.get(kind=name)
        assert response.status_code == 302
        assert response.url == reverse("documents:detail", args=[document.pk])
        assert document.subject_id == formation.pk


def test_the_formation_page_lists_its_documents(client_for, staff, head, formation):
    page = client_for(staff).get(reverse("formation:detail", args=[formation.pk])).content.decode()
    for name in (MINUTES_KIND, DECREE, INVITATION):
        assert reverse("documents:draft", args=[name, formation.pk]) in page
        assert reverse("documents:issue", args=[name, formation.pk]) in page
    page = client_for(head).get(reverse("formation:detail", args=[formation.pk])).content.decode()
    assert reverse("documents:draft", args=[DECREE, formation.pk]) in page
    assert reverse("documents:issue", args=[DECREE, formation.pk]) not in page


# The pages that record what the documents print


def _meeting_post(**changes):
    data = {
        "meeting_on": "2019-02-11",
        "meeting_place": "  Balai   Desa Selakambang ",
        "meeting_chair": "Suparno",
        "meeting_note_taker": "Siti Rohmah",
        "meeting_attendance_men": "21",
        "meeting_attendance_women": "17",
        "notes": "",
        "officers-TOTAL_FORMS": "1",
        "officers-INITIAL_FORMS": "0",
        "officers-0-name": "Wahyu Hidayat",
        "officers-0-position": "ketua",
        "officers-0-phone": "",
        "officers-0-gender": "L",
    }
    return {**data, **changes}


def test_the_meeting_form_records_what_the_minutes_print(client_for, staff, desa):
    formation = formation_services.target_set(year=2019, villages=[desa], actor=staff)[0].formation
    formation_services.formation_record_coordination(
        formation=formation, actor=staff, coordinated_on=dt.date(2019, 1, 14), notes=""
    )
    formation_services.formation_choose_path(
        formation=formation, actor=staff, origin=Kim.Origin.NEW, community_group=None, name="KIM Selakambang"
    )
    client = client_for(staff)
    url = reverse("formation:step", args=[formation.pk, "meeting"])
    refused = client.post(url, _meeting_post(meeting_attendance_women="-1"))
    assert refused.status_code == 200
    assert "meeting_attendance_women" in refused.context["form"].errors
    formation.refresh_from_db()
    assert formation.meeting_on is None
    assert client.post(url, _meeting_post()).status_code == 302
    formation.refresh_from_db()
    assert (formation.meeting_place, formation.meeting_chair, formation.meeting_note_taker) == (
        "Balai Desa Selakambang",
        "Suparno",
        "Siti Rohmah",
    )
    assert (formation.meeting_attendance_men, formation.meeting_attendance_women) == (21, 17)
    page = client.get(reverse("formation:detail", args=[formation.pk])).content.decode()
    assert "Balai Desa Selakambang" in page and "Siti Rohmah" in page
    # A correction starts from what was recorded.
    assert client.get(url).context["form"].initial["meeting_chair"] == "Suparno"


def test_staff_plan_the_briefing_after_the_meeting(client_for, staff, desa):
    formation = _formed(desa, staff, plan=False)
    client = client_for(staff)
    url = reverse("formation:plan_briefing", args=[formation.pk])
    assert client.get(url).status_code == 200
    early = client.post(url, {"day": "2019-02-01", "time": "09:00", "place": "Aula"})
    assert "day" in early.context["form"].errors
    assert client.post(url, {"day": "2019-03-20", "time": "", "place": ""}).status_code == 200
    formation.refresh_from_db()
    assert formation.briefing_planned_at is None
    assert (
        client.post(url, {"day": "2019-03-20", "time": "09:00", "place": " Aula  Dinkominfo "}).status_code
        == 302
    )
    formation.refresh_from_db()
    assert formation.briefing_planned_at == BRIEFING
    assert formation.briefing_place == "Aula Dinkominfo"
    assert formation.briefed_on is None  # planned, not held
    assert client.get(url).context["form"].initial == {
        "day": dt.date(2019, 3, 20),
        "time": dt.time(9, 0),
        "place": "Aula Dinkominfo",
    }


def test_only_staff_plan_the_briefing(client_for, head, leader, staff, formation):
    url = reverse("formation:plan_briefing", args=[formation.pk])
    for user in (head, leader):
        assert (
            client_for(user).post(url, {"day": "2019-03-21", "time": "10:00", "place": "X"}).status_code
            == 403
        )
    formation.refresh_from_db()
    assert formation.briefing_place == "Aula Dinkominfo"


def test_a_lurahs_nip_is_kept_with_the_village_contacts(client_for, staff, kelurahan, desa):
    client = client_for(staff)
    url = reverse("villages:contacts_edit", args=[kelurahan.pk])
    wrong = client.post(
        url, {"head_name": "Agus Salim", "head_nip": "1234", "head_phone": "", "office_address": ""}
    )
    assert "head_nip" in wrong.context["form"].errors
    kelurahan.refresh_from_db()
    assert kelurahan.head_nip == LURAH_NIP
    data = {
        "head_name": "Agus Salim",
        "head_nip": "19800101 200501 1 003",
        "head_phone": "",
        "office_address": "",
    }
    assert client.post(url, data).status_code == 302
    kelurahan.refresh_from_db()
    assert kelurahan.head_nip == "198001012005011003"
    # A Kepala Desa has no NIP: a desa's form does not ask for one.
    assert (
        "head_nip" not in client.get(reverse("villages:contacts_edit", args=[desa.pk])).context["form"].fields
    )


# The demo


def test_each_kind_is_issued_from_the_demos_selakambang_formation():
    call_command("import_areas", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    formation = Formation.objects.get(target__village_id="33.03.04.2006", target__year=2019)
    staff = UserFactory(username="staf.uji", role="staff")
    for name in (MINUTES_KIND, DECREE, INVITATION):
        kind = _kind(name)
        assert kind.missing(formation) == [], name
        document = services.issue(kind, formation, staff)
        assert document.number.startswith(f"{kind.classification}/")
        assert len(document.sha256) == 64
        with document.file.open("rb") as handle:
            text = " ".join(page.extract_text() for page in PdfReader(handle).pages)
        assert "Selakambang" in text and "Kaligondang" in text
