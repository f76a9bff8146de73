"""Issuing and revoking. Issuing freezes a document: it takes the next number of the year's register, renders
the PDF with that number and its check code's QR, and keeps the file and its SHA-256; all in one
transaction, so a failed rendering gives no number away and leaves nothing behind."""

import base64
import hashlib
import logging
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kim.documents.models import DocumentCounter, IssuedDocument
from kim.documents.registry import DocumentKind
from kim.documents.rendering import render_pdf
from kim.documents.selectors import valid_of
from kim.lib.uploads import delete_stored_files
from kim.office.models import document_number
from kim.office.selectors import get_office

logger = logging.getLogger(__name__)

CODE_BYTES = 10  # 80 bits: base 32 gives 16 characters


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")


def issue(kind: DocumentKind, subject, user, *, replaces: IssuedDocument | None = None) -> IssuedDocument:
    """Raise ValidationError (plain Indonesian) when the record still lacks something, or when `replaces` is
    not a valid document of the same kind and record."""
    missing = kind.missing(subject)
    if missing:
        raise ValidationError(missing)
    stored: list[str] = []
    try:
        with transaction.atomic():
            if replaces is not None:
                replaces = _lock_replaced(kind, subject, replaces)
            now = timezone.now()
            today = timezone.localdate(now)
            counter, _created = DocumentCounter.objects.select_for_update().get_or_create(year=today.year)
            # The register's lock serialises issuing, so two people pressing "Issue" at once make one document.
            if replaces is None and valid_of(kind, subject).exists():
                raise ValidationError(
                    _("This document was issued already: issue a correction to replace it.")
                )
            counter.last += 1
            counter.save(update_fields=["last"])
            document = IssuedDocument(
                kind=kind.name,
                subject_type=kind.subject_type,
                subject_id=subject.pk,
                title=kind.title(subject)[:300],
                number=document_number(
                    get_office().document_number_format,
                    classification=kind.classification,
                    sequence=counter.last,
                    year=today.year,
                    month=today.month,
                ),
                year=today.year,
                sequence=counter.last,
                code=new_code(),
                filename=f"{kind.filename(subject)}-{counter.last:03d}-{today.year}"[:150],
                issued_by=user,
                issued_at=now,
                replaces=replaces,
            )
            pdf = render_pdf(kind, subject, issued=document)
            document.sha256 = hashlib.sha256(pdf).hexdigest()
            document.size = len(pdf)
            document.file.save("document.pdf", ContentFile(pdf), save=False)
            stored.append(document.file.name or "")
            document.save()
    except IntegrityError as error:
        # Only a pattern without {nomor} or {tahun} (refused by its form) could give a number twice.
        delete_stored_files(stored)
        logger.exception(
            "Issuing %s for %s %s gave a number already taken", kind.name, kind.subject_type, subject.pk
        )
        raise ValidationError(
            _("This number is already taken: check the office's document number pattern.")
        ) from error
    except BaseException:
        delete_stored_files(stored)
        raise
    return document


def _lock_replaced(kind: DocumentKind, subject, replaces: IssuedDocument) -> IssuedDocument:
    locked = (
        IssuedDocument.objects.select_for_update()
        .filter(pk=replaces.pk, kind=kind.name, subject_id=subject.pk)
        .first()
    )
    if locked is None or locked.revoked_at or IssuedDocument.objects.filter(replaces=locked).exists():
        raise ValidationError(
            _("Only a valid document can be replaced: this one was replaced or revoked already.")
        )
    return locked


def revoke(document: IssuedDocument, user, reason: str) -> IssuedDocument:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the document is revoked."))
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.revoked_at:
            raise ValidationError(_("This document was revoked already."))
        locked.revoked_at = timezone.now()
        locked.revoked_by = user
        locked.revoked_reason = reason[:500]
        locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    return locked
