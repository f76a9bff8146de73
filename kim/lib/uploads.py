"""Checks for uploaded documents and photos: the type is read from the file's first bytes, not its name."""

import logging
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import PurePath
from typing import Any
from uuid import uuid4

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

logger = logging.getLogger(__name__)

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
DOCUMENT_TYPES = ("pdf",)
SCAN_TYPES = ("pdf", "jpg", "png")
PHOTO_TYPES = ("jpg", "png")


def detected_type(upload) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


@deconstructible
class FileCheck:
    """A model-field validator: one of `types`, at most settings.MAX_UPLOAD_BYTES."""

    def __init__(self, types: tuple[str, ...]):
        self.types = tuple(types)

    def __call__(self, upload):
        limit = settings.MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is too large (%(size)s); at most %(limit)s is allowed."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        if detected_type(upload) not in self.types:
            raise ValidationError(
                _("This file type is not accepted; upload %(types)s."),
                params={"types": ", ".join(kind.upper() for kind in self.types)},
                code="wrong_type",
            )

    def __eq__(self, other):
        return isinstance(other, FileCheck) and self.types == other.types


@deconstructible
class PrivatePath:
    """Stored under a random name in a folder per kind; only views that check access hand files out."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()[:8]
        return f"{self.folder}/{uuid4().hex}{suffix}"

    def __eq__(self, other):
        return isinstance(other, PrivatePath) and self.folder == other.folder


def delete_stored_files(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("Could not delete the uploaded file %s", name)


def store_photos(new_photo: Callable[[], models.Model], uploads: Iterable[UploadedFile]) -> None:
    """Save each upload as a row made by `new_photo()` (its file in `image`), under a name ending in its
    real type, read from its bytes rather than the name it came with. If one fails, the files already
    written are removed; the rows go with the caller's transaction."""
    stored: list[str] = []
    try:
        for upload in uploads:
            photo = new_photo()
            kind = detected_type(upload)
            photo.image.save(f"foto.{kind}" if kind else "foto", upload, save=False)  # type: ignore[attr-defined]
            if photo.image.name:  # type: ignore[attr-defined]
                stored.append(photo.image.name)  # type: ignore[attr-defined]
            photo.save()
    except Exception:
        delete_stored_files(stored)
        raise


def delete_photos(rows: models.QuerySet) -> None:
    """Delete photo rows now, and their files once the transaction has committed."""
    names = list(rows.values_list("image", flat=True))
    rows.delete()
    transaction.on_commit(partial(delete_stored_files, names), robust=True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input: each must be a JPEG or PNG within the size limit, and at most `max_files`."""

    def __init__(self, *, max_files: int, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(required=False, **kwargs)
        self.check = FileCheck(PHOTO_TYPES)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(uploads) > self.max_files:
            raise ValidationError(self._too_many(), code="too_many")
        errors: list[ValidationError] = []
        for upload in uploads:
            try:
                super().clean(upload)
                self.check(upload)
            except ValidationError as error:
                name = str(getattr(upload, "name", ""))[:60]
                errors.extend(ValidationError(f"{name}: {message}") for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return uploads

    def _too_many(self) -> str:
        return ngettext_lazy(
            "Upload at most %(count)d photo at a time.", "Upload at most %(count)d photos at a time.", "count"
        ) % {"count": self.max_files}
