"""The public check page: anyone with the QR's link learns what the document is and whether it is valid, and
whether a file is exactly the issued one; it tells nothing more, and not too often."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kim.documents import services
from kim.documents.models import CheckAttempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(sample_kind, office, staff):
    return services.issue(sample_kind, office, staff)


def _pdf_of(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _check(client, document, data: bytes | None = None, **extra):
    url = reverse("documents:check", args=[document.code])
    if data is None:
        return client.get(url, **extra)
    return client.post(url, {"file": SimpleUploadedFile("salinan.pdf", data, "application/pdf")}, **extra)


def test_anyone_without_signing_in_reads_what_the_document_is_and_that_it_is_valid(client, english, issued):
    response = _check(client, issued)
    assert response.status_code == 200
    page = response.content.decode()
    assert issued.title in page
    assert issued.number in page
    assert "Valid." in page
    assert "not a certified electronic signature" in page


def test_the_page_names_the_office_never_the_person_who_issued(client, english, issued, staff):
    page = _check(client, issued).content.decode()
    assert staff.username not in page
    assert staff.get_full_name() not in page
    assert issued.sha256 not in page  # nothing to forge a match with


def test_the_issued_file_matches(client, english, issued):
    response = _check(client, issued, _pdf_of(issued))
    assert response.context["verdict"] is True
    assert "exactly the issued document" in response.content.decode()


def test_one_changed_byte_does_not_match(client, english, issued):
    data = bytearray(_pdf_of(issued))
    data[len(data) // 2] ^= 0x01
    response = _check(client, issued, bytes(data))
    assert response.context["verdict"] is False
    assert "NOT the issued document" in response.content.decode()


def test_another_issued_document_does_not_match(client, sample_kind, office, staff, issued):
    other = services.issue(sample_kind, office, staff, replaces=issued)
    assert _check(client, issued, _pdf_of(other)).context["verdict"] is False


def test_a_replaced_document_says_so_and_names_its_correction(
    client, english, sample_kind, office, staff, issued
):
    correction = services.issue(sample_kind, office, staff, replaces=issued)
    page = _check(client, issued).content.decode()
    assert "Replaced." in page
    assert correction.number in page
    assert "Valid." in _check(client, correction).content.decode()


def test_a_revoked_document_says_so_with_its_reason(client, english, issued, staff):
    services.revoke(issued, staff, "Salah tanggal musyawarah")
    page = _check(client, issued).content.decode()
    assert "Revoked." in page
    assert "Salah tanggal musyawarah" in page
    assert "Valid." not in page


def test_a_revoked_document_still_matches_its_file_but_is_not_valid(client, english, issued, staff):
    services.revoke(issued, staff, "Dibatalkan")
    response = _check(client, issued, _pdf_of(issued))
    assert response.context["verdict"] is True
    assert "Revoked." in response.content.decode()


@pytest.mark.parametrize("code", ["AAAAAAAAAAAAAAAA", "ABCD", "x" * 16, "ZZZZ-ZZZZ-ZZZZ-ZZZZ"])
def test_an_unknown_code_is_a_404_that_reveals_nothing(client, issued, code):
    response = client.get(reverse("documents:check", args=[code]))
    assert response.status_code == 404
    page = response.content.decode()
    assert issued.title not in page
    assert issued.number not in page


def test_the_code_must_be_exact_in_the_address(client, issued):
    assert client.get(reverse("documents:check", args=[issued.code.lower()])).status_code == 404


def test_codes_are_random_80_bit_strings_never_a_counter(sample_kind, office, staff, issued):
    second = services.issue(sample_kind, office, staff, replaces=issued)
    base32 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert len(issued.code) == 16 and set(issued.code) <= base32
    assert issued.code != second.code
    assert issued.number not in issued.code and str(issued.sequence) != issued.code


def test_a_typed_code_with_dashes_and_small_letters_leads_to_the_check_page(client, issued):
    typed = issued.code_display.lower()
    response = client.post(reverse("documents:check_start"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:check", args=[issued.code])


def test_a_typed_unknown_code_is_told_plainly(client, english, issued):
    response = client.post(reverse("documents:check_start"), {"code": "ABCD-EFGH-JKLM-NPQR"})
    assert response.status_code == 200
    assert "No issued document has this code" in response.content.decode()


def test_the_start_page_is_open_without_signing_in(client):
    assert client.get(reverse("documents:check_start")).status_code == 200


def test_the_rate_limit_refuses_an_address_that_checks_too_often(client, settings, issued):
    settings.DOCUMENT_CHECK_LIMIT = 3
    for _ in range(3):
        assert _check(client, issued).status_code == 200
    refused = _check(client, issued, _pdf_of(issued))
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(settings.DOCUMENT_CHECK_WINDOW_SECONDS)
    assert "verdict" not in refused.context or refused.context.get("verdict") is None
    # Guessing codes counts too, and another address is not held back.
    assert client.get(reverse("documents:check", args=["AAAAAAAAAAAAAAAA"])).status_code == 429
    assert _check(client, issued, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_the_limit_forgets_uses_older_than_its_window(client, settings, issued, time_machine):
    settings.DOCUMENT_CHECK_LIMIT = 2
    time_machine.move_to("2026-12-01 08:00:00+07:00", tick=False)
    _check(client, issued)
    _check(client, issued)
    assert _check(client, issued).status_code == 429
    time_machine.move_to("2026-12-01 08:11:00+07:00", tick=False)
    assert _check(client, issued).status_code == 200
    assert CheckAttempt.objects.count() == 1  # the old ones are gone


def test_addresses_are_kept_only_as_keyed_hashes(client, issued):
    _check(client, issued, REMOTE_ADDR="203.0.113.7")
    assert not CheckAttempt.objects.filter(client__contains="203.0.113.7").exists()
    assert len(CheckAttempt.objects.get().client) == 64


def test_a_file_larger_than_any_document_is_refused_plainly(client, english, issued, settings):
    from kim.documents import forms

    big = b"%PDF-" + b"0" * (forms.MAX_CHECKED_BYTES + 1)
    response = _check(client, issued, big)
    assert response.status_code == 200
    assert response.context["verdict"] is None
    assert "larger than any document" in response.content.decode()
