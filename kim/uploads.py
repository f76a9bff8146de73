"""Checks for uploaded documents and photos: the type is read from the file's first bytes, not its name."""

from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

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
