"""The documents' pages for a signed-in person: the draft to print, issuing from a record's page, an issued
document's page and file, correcting and revoking."""

import pytest
from django.urls import reverse

from kim.documents import services
from kim.documents.models import DocumentCounter, IssuedDocument

pytestmark = pytest.mark.django_db


def _issue_url(kind, office):
    return reverse("documents:issue", args=[kind.name, office.pk])


def test_the_draft_is_a_page_to_print_in_indonesian_without_a_number_or_a_qr(
    client, staff, sample_kind, office
):
    client.force_login(staff)
    response = client.get(reverse("documents:draft", args=[sample_kind.name, office.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="id"' in page
    assert "DRAF: belum diterbitkan" in page
    assert "Nomor: 400/……/IKP/" in page
    assert "document-qr" not in page
    assert reverse("documents:draft_pdf", args=[sample_kind.name, office.pk]) in page


def test_the_draft_pdf_is_a_pdf_marked_as_a_draft(client, staff, sample_kind, office):
    client.force_login(staff)
    response = client.get(reverse("documents:draft_pdf", args=[sample_kind.name, office.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert not IssuedDocument.objects.exists()  # a draft issues nothing


def test_staff_issue_and_land_on_the_documents_page(client, staff, sample_kind, office):
    client.force_login(staff)
    response = client.post(_issue_url(sample_kind, office), follow=True)
    document = IssuedDocument.objects.get()
    assert response.redirect_chain[-1][0] == reverse("documents:detail", args=[document.pk])
    page = response.content.decode()
    assert document.number in page
    assert document.sha256 in page
    file = client.get(reverse("documents:file", args=[document.pk]))
    assert file["Content-Type"] == "application/pdf"
    assert b"".join(file.streaming_content).startswith(b"%PDF-")


def test_a_second_issue_is_refused_and_points_to_a_correction(client, staff, sample_kind, office):
    client.force_login(staff)
    client.post(_issue_url(sample_kind, office))
    response = client.post(_issue_url(sample_kind, office), follow=True)
    assert IssuedDocument.objects.count() == 1
    assert DocumentCounter.objects.get().last == 1
    assert "sudah diterbitkan" in response.content.decode()


def test_a_correction_replaces_the_valid_document(client, staff, sample_kind, office):
    client.force_login(staff)
    first = services.issue(sample_kind, office, staff)
    client.post(_issue_url(sample_kind, office), {"replaces": first.pk})
    correction = IssuedDocument.objects.get(replaces=first)
    first.refresh_from_db()
    assert first.state == IssuedDocument.State.REPLACED
    assert correction.state == IssuedDocument.State.VALID


@pytest.mark.parametrize("replaces", ["abc", "999999", "-1"])
def test_a_correction_of_no_such_document_issues_nothing(client, staff, sample_kind, office, replaces):
    client.force_login(staff)
    response = client.post(_issue_url(sample_kind, office), {"replaces": replaces}, follow=True)
    assert response.status_code == 200
    assert not IssuedDocument.objects.exists()
    assert "tidak ada yang diterbitkan" in response.content.decode().lower()


def test_a_record_that_lacks_something_is_not_issued_and_says_what(client, staff, sample_kind, office):
    office.name = ""
    office.save()
    client.force_login(staff)
    response = client.post(_issue_url(sample_kind, office), follow=True)
    assert not IssuedDocument.objects.exists()
    assert "nama kantor belum diisi" in response.content.decode()


def test_revoking_asks_for_a_reason_and_keeps_the_document(client, staff, sample_kind, office):
    document = services.issue(sample_kind, office, staff)
    client.force_login(staff)
    url = reverse("documents:revoke", args=[document.pk])
    refused = client.post(url, {"reason": "   "})
    assert refused.status_code == 200
    assert "Alasan pencabutan" in refused.content.decode() or "wajib" in refused.content.decode()
    document.refresh_from_db()
    assert document.revoked_at is None
    assert client.post(url, {"reason": "Nama desa salah"}).status_code == 302
    document.refresh_from_db()
    assert document.state == IssuedDocument.State.REVOKED
    assert document.revoked_by == staff


def test_a_leader_reads_the_draft_and_the_document_but_issues_and_revokes_nothing(
    client, leader, staff, sample_kind, office
):
    document = services.issue(sample_kind, office, staff)
    client.force_login(leader)
    assert client.get(reverse("documents:draft", args=[sample_kind.name, office.pk])).status_code == 200
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 200
    assert client.post(_issue_url(sample_kind, office), {"replaces": document.pk}).status_code == 403
    assert client.post(reverse("documents:revoke", args=[document.pk]), {"reason": "x"}).status_code == 403
    assert IssuedDocument.objects.count() == 1


def test_a_reader_the_kind_refuses_gets_404_and_learns_nothing(client, head, staff, sample_kind, office):
    document = services.issue(sample_kind, office, staff)
    client.force_login(head)
    assert client.get(reverse("documents:draft", args=[sample_kind.name, office.pk])).status_code == 404
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:file", args=[document.pk])).status_code == 404
