"""Issuing, replacing and revoking: a document's number follows the office's pattern, the year's register never
gives a number twice nor loses one to a failed rendering, a correction replaces a valid document once, and a
revocation says why, on the audit trail."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from kim.audit.models import Change
from kim.documents import selectors, services
from kim.documents.models import DocumentCounter, IssuedDocument
from kim.office.forms import OfficeForm
from kim.office.models import document_number

pytestmark = pytest.mark.django_db

# 15 December 2026, 10.00 WIB.
NOW = dt.datetime(2026, 12, 15, 3, tzinfo=dt.UTC)


@pytest.fixture
def at_noon_in_december():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


# Numbers


@pytest.mark.parametrize(
    ("pattern", "sequence", "month", "number"),
    [
        ("{kode}/{nomor}/IKP/{tahun}", 14, 3, "400/014/IKP/2026"),
        ("{kode}/{nomor}/IKP/{bulan}/{tahun}", 14, 1, "400/014/IKP/I/2026"),
        ("{kode}/{nomor}/IKP/{bulan}/{tahun}", 14, 4, "400/014/IKP/IV/2026"),
        ("{kode}/{nomor}/IKP/{bulan}/{tahun}", 14, 9, "400/014/IKP/IX/2026"),
        ("{kode}/{nomor}/IKP/{bulan}/{tahun}", 14, 12, "400/014/IKP/XII/2026"),
        ("{nomor}/Kominfo/{tahun}", 1, 6, "001/Kominfo/2026"),
        ("{kode}/{nomor}/IKP/{tahun}", 1234, 6, "400/1234/IKP/2026"),  # never cut to three digits
    ],
)
def test_a_number_fills_the_pattern_with_the_sequence_in_three_digits_and_the_month_in_roman(
    pattern, sequence, month, number
):
    assert document_number(pattern, classification="400", sequence=sequence, year=2026, month=month) == number


def test_issuing_numbers_the_document_with_the_offices_pattern(
    sample_kind, office, staff, at_noon_in_december
):
    office.document_number_format = "{kode}/{nomor}/IKP/{bulan}/{tahun}"
    office.save()
    DocumentCounter.objects.create(year=2026, last=13)
    document = services.issue(sample_kind, office, staff)
    assert document.number == "400/014/IKP/XII/2026"
    assert (document.year, document.sequence) == (2026, 14)


def test_the_default_pattern_gives_the_ikp_style_number(sample_kind, office, staff, at_noon_in_december):
    assert services.issue(sample_kind, office, staff).number == "400/001/IKP/2026"


# The register


def test_the_register_gives_each_document_the_next_number_and_never_one_twice(
    sample_kind, office, staff, at_noon_in_december
):
    documents = [services.issue(sample_kind, office, staff)]
    for _ in range(2):
        documents.append(services.issue(sample_kind, office, staff, replaces=documents[-1]))
    assert [d.sequence for d in documents] == [1, 2, 3]
    assert len({d.number for d in documents}) == 3
    assert len({d.code for d in documents}) == 3
    assert DocumentCounter.objects.get(year=2026).last == 3


def test_a_new_year_starts_its_register_at_one(sample_kind, office, staff, at_noon_in_december):
    first = services.issue(sample_kind, office, staff)
    second = services.issue(sample_kind, office, staff, replaces=first)
    at_noon_in_december.move_to(dt.datetime(2027, 1, 2, 3, tzinfo=dt.UTC))
    document = services.issue(sample_kind, office, staff, replaces=second)
    assert (document.number, document.sequence) == ("400/001/IKP/2027", 1)
    assert DocumentCounter.objects.get(year=2026).last == 2


def test_a_second_valid_document_of_a_record_is_refused_and_takes_no_number(sample_kind, office, staff):
    services.issue(sample_kind, office, staff)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.issue(sample_kind, office, staff)
    assert "issue a correction" in refused.value.messages[0]
    assert IssuedDocument.objects.count() == 1
    assert DocumentCounter.objects.get().last == 1


def test_the_database_refuses_a_sequence_given_twice_in_a_year(sample_kind, office, staff):
    document = services.issue(sample_kind, office, staff)
    twin = IssuedDocument.objects.get(pk=document.pk)
    twin.pk, twin.number, twin.code = None, "lain", "A" * 16
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_pattern_that_gives_a_number_twice_is_refused_in_words_and_keeps_nothing(
    sample_kind, office, staff, media, at_noon_in_december
):
    """Only a pattern saved around the form's check could do it; the unique number still holds."""
    office.document_number_format = "400/IKP"
    office.save()
    first = services.issue(sample_kind, office, staff)
    files = _stored_files(media)
    with pytest.raises(ValidationError):
        services.issue(sample_kind, office, staff, replaces=first)
    assert IssuedDocument.objects.count() == 1
    assert DocumentCounter.objects.get(year=2026).last == 1
    assert _stored_files(media) == files


def test_a_failed_rendering_gives_no_number_away_and_leaves_no_file(
    sample_kind, office, staff, media, monkeypatch, at_noon_in_december
):
    def broken_render(*args, **kwargs):
        raise RuntimeError("the renderer fell over")

    monkeypatch.setattr(services, "render_pdf", broken_render)
    with pytest.raises(RuntimeError):
        services.issue(sample_kind, office, staff)
    assert not IssuedDocument.objects.exists()
    assert DocumentCounter.objects.filter(year=2026, last__gt=0).count() == 0
    assert _stored_files(media) == []

    monkeypatch.undo()
    assert services.issue(sample_kind, office, staff).number == "400/001/IKP/2026"


def test_a_failure_after_the_file_is_written_removes_the_file_and_the_number(
    sample_kind, office, staff, media, monkeypatch, at_noon_in_december
):
    def failing_save(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(IssuedDocument, "save", failing_save)
    with pytest.raises(OSError):
        services.issue(sample_kind, office, staff)
    monkeypatch.undo()
    assert not IssuedDocument.objects.exists()
    assert DocumentCounter.objects.filter(year=2026, last__gt=0).count() == 0
    assert _stored_files(media) == []


def test_a_record_that_still_lacks_something_is_not_issued(sample_kind, office, staff):
    office.name = ""
    with pytest.raises(ValidationError) as refused:
        services.issue(sample_kind, office, staff)
    assert refused.value.messages == ["nama kantor belum diisi"]
    assert not DocumentCounter.objects.exists()


# Replacing


def test_a_correction_replaces_the_document_which_stays_listed_as_replaced(sample_kind, office, staff):
    first = services.issue(sample_kind, office, staff)
    correction = services.issue(sample_kind, office, staff, replaces=first)
    first.refresh_from_db()
    assert correction.replaces == first
    assert first.state == IssuedDocument.State.REPLACED
    assert correction.state == IssuedDocument.State.VALID
    assert correction.number != first.number
    (row,) = selectors.panel(staff, "sample", office)
    assert {d.pk: d.state for d in row.documents} == {
        correction.pk: IssuedDocument.State.VALID,
        first.pk: IssuedDocument.State.REPLACED,
    }
    assert row.current == correction
    assert selectors.current(sample_kind, office) == correction


def test_a_document_is_replaced_once_only(sample_kind, office, staff):
    first = services.issue(sample_kind, office, staff)
    services.issue(sample_kind, office, staff, replaces=first)
    last = DocumentCounter.objects.get().last
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.issue(sample_kind, office, staff, replaces=first)
    assert "replaced or revoked already" in refused.value.messages[0]
    assert IssuedDocument.objects.count() == 2
    assert DocumentCounter.objects.get().last == last  # the refused one took no number


def test_a_revoked_document_cannot_be_replaced(sample_kind, office, staff):
    first = services.issue(sample_kind, office, staff)
    services.revoke(first, staff, "Salah tanggal")
    with pytest.raises(ValidationError):
        services.issue(sample_kind, office, staff, replaces=first)


def test_staff_replace_through_the_page_and_a_second_correction_of_the_same_one_is_refused(
    client, sample_kind, office, staff
):
    first = services.issue(sample_kind, office, staff)
    url = reverse("documents:issue", args=[sample_kind.name, office.pk])
    client.force_login(staff)
    assert client.post(url, {"replaces": first.pk}).status_code == 302
    response = client.post(url, {"replaces": first.pk})
    assert response.status_code == 302
    assert IssuedDocument.objects.count() == 2
    assert [message.level_tag for message in get_messages(response.wsgi_request)] == ["success", "error"]


def test_issuing_again_without_naming_the_document_to_replace_is_refused(client, sample_kind, office, staff):
    services.issue(sample_kind, office, staff)
    client.force_login(staff)
    client.post(reverse("documents:issue", args=[sample_kind.name, office.pk]))
    assert IssuedDocument.objects.count() == 1


# Revoking


def test_revoking_needs_a_reason(sample_kind, office, staff):
    document = services.issue(sample_kind, office, staff)
    with pytest.raises(ValidationError):
        services.revoke(document, staff, "   ")
    document.refresh_from_db()
    assert document.revoked_at is None
    assert document.state == IssuedDocument.State.VALID


def test_a_document_is_revoked_once(sample_kind, office, staff):
    document = services.issue(sample_kind, office, staff)
    services.revoke(document, staff, "Salah tanggal")
    with pytest.raises(ValidationError):
        services.revoke(document, staff, "Lagi")
    document.refresh_from_db()
    assert document.revoked_reason == "Salah tanggal"


def test_the_database_refuses_a_revocation_without_its_reason(sample_kind, office, staff):
    document = services.issue(sample_kind, office, staff)
    document.revoked_at = document.issued_at
    with pytest.raises(IntegrityError), transaction.atomic():
        document.save()


def test_revoking_through_the_page_asks_for_the_reason_and_is_on_the_audit_trail(
    client, sample_kind, office, staff
):
    document = services.issue(sample_kind, office, staff)
    url = reverse("documents:revoke", args=[document.pk])
    client.force_login(staff)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    document.refresh_from_db()
    assert document.revoked_at is None

    assert client.post(url, {"reason": "Nama petugas salah ketik"}).status_code == 302
    document.refresh_from_db()
    assert (document.state, document.revoked_by, document.revoked_reason) == (
        IssuedDocument.State.REVOKED,
        staff,
        "Nama petugas salah ketik",
    )
    change = Change.objects.of(document).get(kind=Change.Kind.CHANGED)
    assert change.actor == staff
    assert {field: new for field, _old, new in change.differences}[
        "revoked_reason"
    ] == "Nama petugas salah ketik"


def test_only_those_who_may_issue_may_revoke(client, sample_kind, office, staff, leader):
    document = services.issue(sample_kind, office, staff)
    client.force_login(leader)
    assert client.get(reverse("documents:revoke", args=[document.pk])).status_code == 403
    assert client.post(reverse("documents:revoke", args=[document.pk]), {"reason": "x"}).status_code == 403
    document.refresh_from_db()
    assert document.revoked_at is None


# The office's pattern


LETTERHEAD = {
    "name": "Dinas Komunikasi dan Informatika",
    "address": "Jl. Alun-alun Utara No. 1",
    "place": "Purbalingga",
}


@pytest.mark.parametrize(
    ("pattern", "code"),
    [
        ("{kode}/IKP/{tahun}", "number_format_required"),
        ("{kode}/{nomor}/IKP", "number_format_required"),
        ("{kode}/{nomor}/{unit}/{tahun}", "number_format_token"),
        ("{kode}/{nomor}/IKP/{tahun", "number_format_token"),
        ("{kode}/{nomor}/IKP/{TAHUN}/{tahun}", "number_format_token"),
    ],
)
def test_the_office_form_refuses_a_pattern_that_could_repeat_or_holds_an_unknown_token(
    office_defaults, office, pattern, code
):
    form = OfficeForm({**LETTERHEAD, "document_number_format": pattern}, instance=office)
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["document_number_format"]] == [code]


@pytest.mark.parametrize("pattern", ["{kode}/{nomor}/IKP/{tahun}", "{kode}/{nomor}/IKP/{bulan}/{tahun}"])
def test_the_office_form_takes_a_pattern_with_the_known_tokens(office_defaults, office, pattern):
    form = OfficeForm({**LETTERHEAD, "document_number_format": pattern}, instance=office)
    assert form.is_valid(), form.errors


def test_a_refused_pattern_saves_nothing(client, staff_admin, office_defaults, office):
    client.force_login(staff_admin)
    before = office.document_number_format
    data = {**LETTERHEAD, "name": "Dinas Baru", "document_number_format": "{nomor}/{unit}"}
    response = client.post(reverse("office:edit"), data)
    assert response.status_code == 200
    office.refresh_from_db()
    assert office.document_number_format == before
    assert office.name != "Dinas Baru"
