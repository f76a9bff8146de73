"""The assignment letter (surat tugas) of a mentoring visit: what it says, who may read and issue it, and the
visit's page that lists it."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from kim.documents import registry, services
from kim.documents.models import IssuedDocument
from kim.documents.rendering import render_pdf
from kim.mentoring.models import Visit
from kim.office.models import Signatory
from tests.factories import KimFactory, UserFactory, VillageFactory, VisitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("office_defaults", "media")]

HEAD_OF_OFFICE = {
    "name": "Dr. Bambang Sutrisno, M.Si.",
    "nip": "197001011995031001",
    "rank": "Pembina Utama Muda (IV/c)",
    "position": "Kepala Dinas Komunikasi dan Informatika",
}


def _text(pdf: bytes) -> str:
    """The PDF's words, each run of white space as one space (lines break where the layout breaks them)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


@pytest.fixture
def kind():
    return registry.kind("visit.assignment")


@pytest.fixture
def head_of_office():
    Signatory.objects.filter(role="head").update(**HEAD_OF_OFFICE, is_placeholder=False)


@pytest.fixture
def rina():
    return UserFactory(
        first_name="Rina",
        last_name="Wulandari",
        nip="198503122010012003",
        rank="Penata (III/c)",
        position="Pranata Humas Ahli Muda",
    )


@pytest.fixture
def agus():
    return UserFactory(
        first_name="Agus",
        last_name="Prasetyo",
        nip="199002142015031002",
        rank="Penata Muda Tk. I (III/b)",
        position="Pranata Humas Ahli Pertama",
    )


@pytest.fixture
def visit(kim, rina, agus, head_of_office):
    """Thursday 10 January 2019, Rina and Agus mentor KIM Selakambang Maju (Desa Selakambang)."""
    visit = VisitFactory(
        kim=kim,
        visited_on=dt.date(2019, 1, 10),
        kind=Visit.Kind.PENDAMPINGAN,
        topic="Pengelolaan media sosial desa",
    )
    visit.officers.set([rina, agus])
    return visit


@pytest.fixture
def frozen_today():
    """2 December 2026, in the morning (WIB)."""
    with time_machine.travel(dt.datetime(2026, 12, 2, 2, tzinfo=dt.UTC), tick=False):
        yield


def _draft(visit) -> str:
    return reverse("documents:draft", args=["visit.assignment", visit.pk])


def _issue(visit) -> str:
    return reverse("documents:issue", args=["visit.assignment", visit.pk])


# What the letter says


def test_the_letter_assigns_the_officers_with_their_nip_rank_and_position(kind, visit):
    text = _text(render_pdf(kind, visit))
    assert "SURAT TUGAS" in text
    assert re.search(r"Nomor: 094/……/IKP/\d{4}", text)
    assert "MENUGASKAN" in text
    for words in [
        "Rina Wulandari",
        "19850312 201001 2 003",
        "Penata (III/c)",
        "Pranata Humas Ahli Muda",
        "Agus Prasetyo",
        "19900214 201503 1 002",
        "Pranata Humas Ahli Pertama",
    ]:
        assert words in text, words


def test_the_letter_names_the_kim_the_desa_the_kecamatan_the_day_and_the_topic(kind, visit):
    text = _text(render_pdf(kind, visit))
    assert (
        "Melaksanakan pendampingan KIM Selakambang Maju di Desa Selakambang, Kecamatan Kaligondang, "
        "pada hari Kamis, 10 Januari 2019, dengan materi “Pengelolaan media sosial desa”" in text
    )
    assert "Pemerintah Desa Selakambang" in text
    assert "Demikian surat tugas ini dibuat untuk dilaksanakan dengan penuh tanggung jawab." in text


def test_the_head_of_office_signs_where_and_when_it_was_issued(kind, visit, frozen_today):
    text = _text(render_pdf(kind, visit))
    assert "Dikeluarkan di : Purbalingga" in text
    assert "Pada tanggal : 2 Desember 2026" in text
    assert "Kepala Dinas Komunikasi dan Informatika" in text
    assert "Dr. Bambang Sutrisno, M.Si." in text
    assert "Pembina Utama Muda (IV/c)" in text
    assert "NIP. 19700101 199503 1 001" in text


def test_a_kelurahan_is_called_a_kelurahan(kind, rina, head_of_office):
    kelurahan = VillageFactory(
        code="33.03.01.1001",
        name="Purbalingga Lor",
        kind="kelurahan",
        district__code="33.03.01",
        district__name="Purbalingga",
    )
    visit = VisitFactory(
        kim=KimFactory(village=kelurahan, name="Lor Informasi"), visited_on=dt.date(2019, 1, 10)
    )
    visit.officers.set([rina])
    text = _text(render_pdf(kind, visit))
    assert "KIM Lor Informasi di Kelurahan Purbalingga Lor, Kecamatan Purbalingga" in text
    assert "Pemerintah Kelurahan Purbalingga Lor" in text
    assert "Desa Purbalingga Lor" not in text
    assert (
        kind.title(visit)
        == "Surat Tugas Pendampingan KIM Lor Informasi, Kelurahan Purbalingga Lor, 10 Januari 2019"
    )


def test_an_officer_who_is_no_civil_servant_gets_dashes_and_does_not_hold_the_letter_up(kind, visit, agus):
    agus.nip = agus.rank = agus.position = ""
    agus.save()
    assert kind.missing(visit) == []
    text = _text(render_pdf(kind, visit))
    assert "1. Agus Prasetyo - - - 2. Rina Wulandari 19850312 201001 2 003" in text


def test_without_officers_or_a_named_head_of_office_it_cannot_be_issued_yet(kind, visit):
    visit.officers.clear()
    Signatory.objects.filter(role="head").update(is_placeholder=True)
    assert kind.missing(visit) == [
        "petugas yang ditugaskan belum dipilih",
        "nama dan NIP Kepala Dinas penanda tangan belum diisi di pengaturan kantor",
    ]


def test_the_public_title_names_the_kim_the_village_and_the_day_but_no_officer(kind, visit):
    title = kind.title(visit)
    assert title == "Surat Tugas Pendampingan KIM Selakambang Maju, Desa Selakambang, 10 Januari 2019"
    assert "Rina" not in title


def test_issuing_numbers_it_in_the_offices_register_and_keeps_the_pdf(kind, visit, staff):
    document = services.issue(kind, visit, staff)
    year = document.issued_at.year
    assert document.number == f"094/001/IKP/{year}"
    assert (document.kind, document.subject_type, document.subject_id) == (
        "visit.assignment",
        "visit",
        visit.pk,
    )
    assert document.title == kind.title(visit)
    with document.file.open("rb") as stored:
        pdf = stored.read()
    text = _text(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1  # the check footer and its QR fit under the signature
    assert f"Nomor: 094/001/IKP/{year}" in text
    assert document.code_display in text
    assert "Rina Wulandari" in text


# Who may read and issue it


def test_the_head_of_another_village_does_not_learn_the_letter_exists(client, stranger, visit):
    client.force_login(stranger)
    assert client.get(_draft(visit)).status_code == 404
    assert client.get(reverse("documents:draft_pdf", args=["visit.assignment", visit.pk])).status_code == 404
    assert client.get(reverse("mentoring:visit_detail", args=[visit.pk])).status_code == 404


def test_a_leader_reads_the_draft_but_may_not_issue_it(client, leader, visit):
    client.force_login(leader)
    assert client.get(_draft(visit)).status_code == 200
    assert client.post(_issue(visit)).status_code == 403
    assert not IssuedDocument.objects.exists()


def test_the_village_head_reads_the_draft_of_a_visit_to_their_village_but_may_not_issue(client, head, visit):
    client.force_login(head)
    assert client.get(_draft(visit)).status_code == 200
    assert client.post(_issue(visit)).status_code == 403
    assert not IssuedDocument.objects.exists()


def test_staff_issue_it_and_land_on_the_issued_document(client, staff, visit):
    client.force_login(staff)
    response = client.post(_issue(visit))
    document = IssuedDocument.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("documents:detail", args=[document.pk])


def test_a_letter_without_officers_is_not_issued_and_staff_are_told_why(client, staff, visit):
    visit.officers.clear()
    client.force_login(staff)
    response = client.post(_issue(visit), follow=True)
    assert not IssuedDocument.objects.exists()
    assert "petugas yang ditugaskan belum dipilih" in response.content.decode()


# The visit's page


def test_the_visit_page_lists_the_letter_and_offers_staff_to_issue_it(client, staff, visit):
    client.force_login(staff)
    response = client.get(reverse("mentoring:visit_detail", args=[visit.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert _draft(visit) in page
    assert _issue(visit) in page
    assert "Rina Wulandari" in page


def test_a_leader_sees_the_letter_on_the_visit_page_without_the_issue_button(client, leader, visit):
    client.force_login(leader)
    page = client.get(reverse("mentoring:visit_detail", args=[visit.pk])).content.decode()
    assert _draft(visit) in page
    assert _issue(visit) not in page


def test_the_timeline_links_each_visit_to_its_page(client, staff, visit):
    client.force_login(staff)
    page = client.get(reverse("mentoring:kim_visits", args=[visit.kim_id])).content.decode()
    assert reverse("mentoring:visit_detail", args=[visit.pk]) in page


# Session and account (2), the visit, its KIM, its officers, its photos; the panel: the officers' and the head
# of office's check for what is missing (2), the issued documents (1).
QUERIES_ON_THE_VISIT_PAGE = 9


def test_the_visit_page_runs_a_fixed_number_of_queries_whatever_the_officers_and_documents(
    client, staff, visit, django_assert_num_queries
):
    client.force_login(staff)
    url = reverse("mentoring:visit_detail", args=[visit.pk])
    kind = registry.kind("visit.assignment")
    first = services.issue(kind, visit, staff)
    with django_assert_num_queries(QUERIES_ON_THE_VISIT_PAGE):
        client.get(url)
    visit.officers.add(UserFactory(), UserFactory())
    services.issue(kind, visit, staff, replaces=first)
    with django_assert_num_queries(QUERIES_ON_THE_VISIT_PAGE):
        assert client.get(url).status_code == 200


# The demo


def test_the_demo_has_a_visit_to_selakambang_whose_letter_can_be_issued(kind):
    call_command("import_areas", "--regency", "33.03", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    visit = Visit.objects.get(kim__village_id="33.03.04.2006", visited_on=dt.date(2019, 4, 11))
    assert kind.missing(visit) == []
    text = _text(render_pdf(kind, visit))
    for words in [
        "Admin Dinkominfo",
        "19820315 200801 1 004",
        "Staf Bidang IKP",
        "19910722 201903 2 012",
        "Pranata Humas Ahli Pertama",
        "di Desa Selakambang, Kecamatan Kaligondang, pada hari Kamis, 11 April 2019",
        "Contoh Kepala Dinas, S.Sos., M.Si.",
        "NIP. 19700101 199503 1 001",
    ]:
        assert words in text, words
