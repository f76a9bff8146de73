"""Checks for uploaded documents and photos. The type is read from the file's first bytes, never its name, and
the whole file must then read as that type: a PDF parses (pypdf), an image decodes (Pillow). A stored file is
named, and served, by that type. A photo is then re-encoded (fit_photo): turned upright, shrunk, stored as a JPEG
without its EXIF (and so without the place it was taken), with a small copy beside it for lists and documents."""

import io
import logging
import warnings
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import PurePath
from typing import Any
from uuid import uuid4

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.forms.models import ModelChoiceIterator
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from PIL import Image, ImageOps
from pypdf import PdfReader

from kim.lib.fields import RowChoiceField

logger = logging.getLogger(__name__)

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
DOCUMENT_TYPES = ("pdf",)
SCAN_TYPES = ("pdf", "jpg", "png")
PHOTO_TYPES = ("jpg", "png")
PHOTO_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
CONTENT_TYPES = {"pdf": "application/pdf", **PHOTO_CONTENT_TYPES}
_PILLOW_FORMATS = {"jpg": "JPEG", "png": "PNG"}


def detected_type(upload) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


def _reads_as_pdf(upload) -> bool:
    reader = PdfReader(upload)
    if reader.is_encrypted and not reader.decrypt(""):
        return False
    # Every page's tree is reached: a file that only starts with %PDF- (an HTML page behind it) has none.
    return len(reader.pages) > 0 and all(page.mediabox.width > 0 for page in reader.pages)


def _reads_as_image(upload, kind: str) -> bool:
    with warnings.catch_warnings():
        # A decompression bomb (more pixels than Pillow's limit) is refused, not merely warned about.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(upload) as image:
            if image.format != _PILLOW_FORMATS[kind]:
                return False
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # decodes every pixel: a truncated file or garbage after the header fails here
    return True


def reads_whole(upload, kind: str) -> bool:
    """Whether the whole file reads as `kind` (as detected_type found from its first bytes)."""
    upload.seek(0)
    try:
        return _reads_as_pdf(upload) if kind == "pdf" else _reads_as_image(upload, kind)
    except Exception:
        return False
    finally:
        upload.seek(0)


@deconstructible
class FileCheck:
    """A model-field validator: one of `types`, at most as many bytes as the setting `limit` names
    (MAX_UPLOAD_BYTES for documents; photos, shrunk once checked, take MAX_PHOTO_UPLOAD_BYTES)."""

    def __init__(self, types: tuple[str, ...], limit: str = "MAX_UPLOAD_BYTES"):
        self.types = tuple(types)
        self.limit = limit

    def __call__(self, upload):
        limit = getattr(settings, self.limit)
        if upload.size > limit:
            raise ValidationError(
                _("The file is too large (%(size)s); at most %(limit)s is allowed."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        kind = detected_type(upload)
        if kind not in self.types:
            raise ValidationError(
                _("This file type is not accepted; upload %(types)s."),
                params={"types": ", ".join(kind.upper() for kind in self.types)},
                code="wrong_type",
            )
        if not reads_whole(upload, kind):
            raise ValidationError(
                _(
                    "This file starts like a %(type)s but cannot be read as one: it is damaged, cut off or not "
                    "what its name says. Save or scan it again and upload the new file."
                ),
                params={"type": kind.upper()},
                code="unreadable",
            )

    def __eq__(self, other):
        return isinstance(other, FileCheck) and (self.types, self.limit) == (other.types, other.limit)


@deconstructible
class PrivatePath:
    """Stored under a random name in a folder per kind; only views that check access hand files out."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        # Only a suffix of a type the uploads accept: the name a file came with says nothing of what it holds.
        suffix = PurePath(filename).suffix.lower()
        return f"{self.folder}/{uuid4().hex}{suffix if suffix[1:] in CONTENT_TYPES else ''}"

    def __eq__(self, other):
        return isinstance(other, PrivatePath) and self.folder == other.folder


class TypedFileField(models.FileField):
    """A FileField whose new file is stored under a name ending in the type read from its bytes, whoever
    saves it (a form, a service, the admin): a PDF uploaded as `x.html` is kept as `….pdf`."""

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            kind = detected_type(file.file)
            file.name = f"{self.name}.{kind}" if kind else self.name
        return super().pre_save(model_instance, add)


def document_response(document: models.fields.files.FieldFile, *, filename: str) -> FileResponse:
    """A stored document or scan, downloaded as `filename` with the suffix and content type of what its bytes
    hold (never those of the name it was stored under); a file that is gone or of no accepted type is a 404.
    Call it only once the view has checked who may see it."""
    try:
        handle = document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = detected_type(handle) or ""
    if kind not in CONTENT_TYPES:
        handle.close()
        raise Http404
    return FileResponse(
        handle, as_attachment=True, content_type=CONTENT_TYPES[kind], filename=f"{filename}.{kind}"
    )


PHOTO_CHECK = FileCheck(PHOTO_TYPES, limit="MAX_PHOTO_UPLOAD_BYTES")
PHOTO_JPEG_QUALITY = 82
THUMBNAIL_JPEG_QUALITY = 80


def photo_field(folder: str) -> models.FileField:
    """A photo's file: a JPEG or PNG within the photo size limit, kept under a random name in `folder`."""
    return models.FileField(
        _("photo"), upload_to=PrivatePath(folder), validators=[PHOTO_CHECK], max_length=200
    )


def _encoded(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # No exif= given: the stored JPEG carries no EXIF, so neither the GPS position nor the camera's details.
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def _on_white(image: Image.Image) -> Image.Image:
    """RGB; a transparent picture (a PNG with an alpha channel) is laid on white, as it shows on a page or paper."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def fit_photo(upload) -> tuple[bytes, bytes]:
    """A checked photo (PHOTO_CHECK passed) as two JPEGs: the photo turned upright by its EXIF orientation,
    shrunk so its long edge is at most settings.PHOTO_MAX_EDGE, and its thumbnail (settings.PHOTO_THUMBNAIL_EDGE).
    Neither carries EXIF. A PNG is laid on white: photos are shown and printed on white."""
    edge, thumb_edge = settings.PHOTO_MAX_EDGE, settings.PHOTO_THUMBNAIL_EDGE
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(upload) as source:
            scale = edge / max(source.size)
            if scale < 1 and source.format == "JPEG":
                # Decodes the JPEG at a half, quarter or eighth of its size when that is still large enough:
                # a phone's 12-megapixel photo then takes a fraction of the time and memory.
                source.draft("RGB", (int(source.width * scale) + 1, int(source.height * scale) + 1))
            image = _on_white(ImageOps.exif_transpose(source))
    upload.seek(0)
    image.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    photo = _encoded(image, PHOTO_JPEG_QUALITY)
    image.thumbnail((thumb_edge, thumb_edge), Image.Resampling.LANCZOS)
    return photo, _encoded(image, THUMBNAIL_JPEG_QUALITY)


class Photo(models.Model):
    """A photo a record holds (a mentoring visit, a session's report). A subclass adds the foreign key to its
    record (related name "photos"), `image = photo_field(folder)`, `get_absolute_url` (the view that checks
    who may see the record and hands the photo out with `photo_response`) and `get_thumbnail_url` (the same
    view's small copy, `photo_response(..., thumbnail=True)`)."""

    image: models.FileField
    # A small copy for lists and documents; empty for a photo stored before thumbnails were made (the
    # make_thumbnails command fills it), when the photo itself is handed out instead.
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=PrivatePath("thumbnails"), blank=True, max_length=200, editable=False
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.image.name

    def store(self, photo: bytes, thumbnail: bytes) -> list[str]:
        """Write the fitted photo and its thumbnail (from fit_photo) under new names, without saving the row;
        the names written, for the caller to remove if what follows fails."""
        written: list[str] = []
        for field, content in ((self.image, photo), (self.thumbnail, thumbnail)):
            field.save("foto.jpg", ContentFile(content), save=False)
            written.append(field.name or "")
        return written


def photo_response(photo: Photo, *, filename: str, thumbnail: bool = False) -> FileResponse:
    """The photo (or its `thumbnail`, the photo itself while it has none), shown inline as `filename` with its
    real suffix; its type is read from its bytes, so a file that is gone or is no photo is a 404. Call it only
    once the view has checked who may see the photo."""
    stored = photo.thumbnail if thumbnail and photo.thumbnail else photo.image
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = detected_type(handle) or ""
    if kind not in PHOTO_CONTENT_TYPES:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=PHOTO_CONTENT_TYPES[kind], filename=f"{filename}.{kind}")
    # Kept by no cache, as every page is (kim.accounts.middleware): a photo shows people and their village, the
    # computer may be a village office's shared one, and whoever may see it today may lose that tomorrow. A
    # photo never changes once stored, but a day's max-age would keep it on disk after sign-out; set here too,
    # so the header holds wherever the response goes, and agrees with the middleware's.
    patch_cache_control(response, private=True, no_store=True)
    return response


def delete_stored_files(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("Could not delete the uploaded file %s", name)


def store_photos(new_photo: Callable[[], Photo], uploads: Iterable[UploadedFile]) -> None:
    """Save each checked upload as a row made by `new_photo()`: the photo fitted (fit_photo) in `image`, its
    thumbnail in `thumbnail`, both JPEGs under new names. If one fails, the files already
    written are removed; the rows go with the caller's transaction."""
    stored: list[str] = []
    try:
        for upload in uploads:
            photo = new_photo()
            stored.extend(photo.store(*fit_photo(upload)))
            photo.save()
    except Exception:
        delete_stored_files(stored)
        raise


def delete_photos(rows: models.QuerySet) -> None:
    """Delete photo rows now, and their files once the transaction has committed."""
    names = [name for pair in rows.values_list("image", "thumbnail") for name in pair if name]
    rows.delete()
    transaction.on_commit(partial(delete_stored_files, names), robust=True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input: each must be a JPEG or PNG within the photo size limit, and at most `max_files`."""

    def __init__(self, *, max_files: int, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        kwargs.setdefault("label", _("Photos"))
        kwargs.setdefault("help_text", _("JPEG or PNG; you may choose several at once."))
        super().__init__(required=False, **kwargs)
        self.check = PHOTO_CHECK

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


class _NumberedPhotos(ModelChoiceIterator):
    def __iter__(self):
        for number, (value, _name) in enumerate(super().__iter__(), start=1):
            yield value, self.field.describe % {"number": number}


class RemovePhotosField(RowChoiceField):
    """The photos a record holds, to tick for removal. Each choice is labelled by `describe` with its number
    ("Photo 2 of the visit"): the alt text of its thumbnail. The form sets the queryset to the record's photos."""

    iterator = _NumberedPhotos

    def __init__(self, *, describe: Promise, **kwargs):
        self.describe = describe
        kwargs.setdefault("label", _("Remove these photos"))
        super().__init__(widget=forms.CheckboxSelectMultiple, required=False, **kwargs)


def check_photo_total(form: forms.Form, *, held: int, too_many: Promise) -> None:
    """A record keeps at most as many photos as its `photos` field takes at once: those it `held`, less those
    ticked in `remove_photos`, plus those added. Over that, `too_many` (with %(count)d) goes on `photos`."""
    if form.has_error("photos") or form.has_error("remove_photos"):
        return
    photos = form.fields["photos"]
    assert isinstance(photos, MultiplePhotoField)
    data = form.cleaned_data
    kept = held - len(data.get("remove_photos") or ())
    if kept + len(data.get("photos") or ()) > photos.max_files:
        form.add_error("photos", too_many % {"count": photos.max_files})
