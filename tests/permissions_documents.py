"""The documents' rows of the central permission matrix (tests/test_permissions.py): (page, method, url builder
taking the objects fixture, expected status per persona).

A record's documents follow the record: whoever may open the formation, the session or the visit reads its
drafts and its issued documents, and anyone else gets 404 (they do not learn it exists). Issuing, correcting
and revoking are for staff (a formation, a visit) and for the session's agency and staff (a session): a reader
who may not gets 403, a leader too (leaders change nothing). The public check page is open to everyone,
signed in or not; it is the only page here that is."""

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from kim.documents.models import IssuedDocument
from tests.expectations import PERSONAS

READERS = {
    "anonymous": 302,
    "staff": 200,
    "staff_admin": 200,
    "leader": 200,
    "head": 200,
    "stranger": 404,
    "officer": 200,
    "other_officer": 200,
    "no_role": 403,
}
FORMATION_READ = {**READERS, "officer": 404, "other_officer": 404}
FORMATION_ISSUE = {**FORMATION_READ, "staff": 302, "staff_admin": 302, "leader": 403, "head": 403}
FORMATION_REVOKE_FORM = {**FORMATION_ISSUE, "staff": 200, "staff_admin": 200}
SESSION_READ = {**READERS, "other_officer": 404}
SESSION_ISSUE = {**SESSION_READ, "staff": 302, "staff_admin": 302, "officer": 302, "leader": 403, "head": 403}
SESSION_REVOKE_FORM = {**SESSION_ISSUE, "staff": 200, "staff_admin": 200, "officer": 200}
VISIT_READ = READERS
VISIT_ISSUE = {
    **VISIT_READ,
    "staff": 302,
    "staff_admin": 302,
    "leader": 403,
    "head": 403,
    "officer": 403,
    "other_officer": 403,
}
PUBLIC = dict.fromkeys(PERSONAS, 200)

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _issued(objects: dict, kind: str, subject_type: str, subject) -> IssuedDocument:
    """A document issued for the record, made on first use (no rendering: the matrix is about who asks)."""
    document = IssuedDocument.objects.filter(kind=kind, subject_id=subject.pk).first()
    if document is None:
        sequence = IssuedDocument.objects.count() + 1
        document = IssuedDocument(
            kind=kind,
            subject_type=subject_type,
            subject_id=subject.pk,
            title="Dokumen uji",
            number=f"400/{sequence:03d}/IKP/2026",
            year=2026,
            sequence=sequence,
            code=f"MATRIX{sequence:010d}",
            filename="dokumen-uji",
            sha256="0" * 64,
            size=len(MINIMAL_PDF),
            issued_by=objects["staff"],
            issued_at=timezone.now(),
        )
        document.file.save("dokumen.pdf", ContentFile(MINIMAL_PDF), save=False)
        document.save()
    return document


def _record_pages(label: str, kind: str, subject_type: str, subject, read: dict, issue: dict, revoke: dict):
    def doc(o):
        return _issued(o, kind, subject_type, subject(o))

    return [
        (f"{label} draft", "get", lambda o: reverse("documents:draft", args=[kind, subject(o).pk]), read),
        (
            f"{label} draft PDF",
            "get",
            lambda o: reverse("documents:draft_pdf", args=[kind, subject(o).pk]),
            read,
        ),
        (f"{label} issue", "post", lambda o: reverse("documents:issue", args=[kind, subject(o).pk]), issue),
        (f"{label} issued", "get", lambda o: reverse("documents:detail", args=[doc(o).pk]), read),
        (f"{label} issued file", "get", lambda o: reverse("documents:file", args=[doc(o).pk]), read),
        (f"{label} revoke form", "get", lambda o: reverse("documents:revoke", args=[doc(o).pk]), revoke),
    ]


DOCUMENT_PAGES = [
    *_record_pages(
        "berita acara",
        "formation.minutes",
        "formation",
        lambda o: o["formation"],
        FORMATION_READ,
        FORMATION_ISSUE,
        FORMATION_REVOKE_FORM,
    ),
    *_record_pages(
        "activity report",
        "session.report",
        "session",
        lambda o: o["held"],
        SESSION_READ,
        SESSION_ISSUE,
        SESSION_REVOKE_FORM,
    ),
    *_record_pages(
        "surat tugas",
        "visit.assignment",
        "visit",
        lambda o: o["visit"],
        VISIT_READ,
        VISIT_ISSUE,
        {**VISIT_ISSUE, "staff": 200, "staff_admin": 200},
    ),
    (
        "document of an unknown kind",
        "get",
        lambda o: reverse("documents:draft", args=["nothing.here", o["formation"].pk]),
        {**dict.fromkeys(PERSONAS, 404), "anonymous": 302, "no_role": 403},
    ),
    ("document check start", "get", lambda o: reverse("documents:check_start"), PUBLIC),
    (
        "document check",
        "get",
        lambda o: reverse(
            "documents:check", args=[_issued(o, "formation.minutes", "formation", o["formation"]).code]
        ),
        PUBLIC,
    ),
    (
        "document check, unknown code",
        "get",
        lambda o: reverse("documents:check", args=["AAAAAAAAAAAAAAAA"]),
        dict.fromkeys(PERSONAS, 404),
    ),
]
