"""What a record's page shows of its documents, and what the public check page reads."""

import hashlib
import hmac
from dataclasses import dataclass, field

from kim.documents import registry
from kim.documents.models import IssuedDocument
from kim.documents.registry import DocumentKind


@dataclass
class KindRow:
    """One kind of document a record makes, as its page lists it: whether the person may issue it, what the
    record still lacks, and the documents issued so far (newest first, replaced and revoked ones included)."""

    kind: DocumentKind
    subject_id: int
    may_issue: bool
    missing: list[str]
    documents: list[IssuedDocument] = field(default_factory=list)

    @property
    def current(self) -> IssuedDocument | None:
        """The valid document, if one is: the one a correction would replace."""
        return next((document for document in self.documents if document.is_valid), None)


def panel(user, subject_type: str, subject) -> list[KindRow]:
    """The kinds the person may read for this record, with their documents: one query whatever the count."""
    rows = [
        KindRow(kind, subject.pk, kind.may_issue(user, subject), kind.missing(subject))
        for kind in registry.kinds(subject_type)
        if kind.may_read(user, subject)
    ]
    if not rows:
        return rows
    by_kind = {row.kind.name: row for row in rows}
    documents = (
        IssuedDocument.objects.of(subject_type, subject.pk)
        .filter(kind__in=by_kind)
        .select_related("replaced_by", "issued_by")
    )
    for document in documents:
        by_kind[document.kind].documents.append(document)
    return rows


def by_code(code: str) -> IssuedDocument | None:
    """The document of a check code, typed with or without its dashes and in either case."""
    cleaned = code.replace("-", "").replace(" ", "").upper()
    if len(cleaned) != 16 or not cleaned.isalnum() or not cleaned.isascii():
        return None
    return IssuedDocument.objects.select_related("replaced_by").filter(code=cleaned).first()


def valid_of(kind: DocumentKind, subject):
    """The kind's documents for this record that are neither replaced nor revoked: one at most."""
    return IssuedDocument.objects.of(kind.subject_type, subject.pk).filter(
        kind=kind.name, revoked_at__isnull=True, replaced_by__isnull=True
    )


def current(kind: DocumentKind, subject) -> IssuedDocument | None:
    """The kind's valid document for this record, if one is."""
    return valid_of(kind, subject).first()


def matches(document: IssuedDocument, upload) -> bool:
    """Whether the uploaded file is, byte for byte, the issued PDF (its SHA-256 is the one kept at issuing)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return hmac.compare_digest(digest.hexdigest(), document.sha256)
