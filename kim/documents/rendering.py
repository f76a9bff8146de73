"""A document kind's record as HTML and as PDF: the kind's template inside the office's frame (letterhead,
number, the check footer with its QR code), rendered by WeasyPrint with nothing fetched: the emblem, the QR
code and the photos come as data: URIs and the styles from static/css/document.css on disk."""

import base64
import functools
import io
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kim.documents.models import IssuedDocument
from kim.documents.registry import DocumentKind
from kim.lib.pdf import weasyprint
from kim.lib.uploads import Photo
from kim.office.selectors import get_office, logo_data_uri

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "document.css"
DRAFT_NUMBER = "……"


def check_url(code: str) -> str:
    """The public check page of one document, absolute: it is printed and read from paper by a phone."""
    return settings.SITE_URL.rstrip("/") + reverse("documents:check", args=[code])


def qr_data_uri(url: str) -> str:
    """The URL as a QR code (medium error correction, survives a fold or a stamp), an SVG data: URI."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def photo_data_uri(photo: Photo, *, thumbnail: bool = False) -> str:
    """A stored photo (already fitted and re-encoded as JPEG on upload) as a data: URI; "" if its file is
    gone. Documents take the full fitted photo by default: a thumbnail is too coarse for paper."""
    field = photo.thumbnail if thumbnail and photo.thumbnail else photo.image
    try:
        with field.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")


def draft_number(kind: DocumentKind, pattern: str) -> str:
    """A draft's number with the sequence left blank: 400/……/IKP/2026 (its month too, if the pattern has one)."""
    year = timezone.localdate().year
    filled = pattern.replace("{nomor}", DRAFT_NUMBER).replace("{bulan}", DRAFT_NUMBER)
    return filled.replace("{kode}", kind.classification).replace("{tahun}", str(year))


def render_html(
    kind: DocumentKind,
    subject,
    *,
    issued: IssuedDocument | None = None,
    for_pdf: bool,
    toolbar: dict | None = None,
) -> str:
    """In the site's language (Indonesian) whoever asks: a document is the office's, not the reader's. On the
    screen, `toolbar` holds the draft page's links (kim/documents/_toolbar.html)."""
    office = get_office()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "kind": kind,
            "subject_id": subject.pk,
            "office": office,
            "logo_src": logo_data_uri(office),
            "issued": issued,
            "number": issued.number if issued else draft_number(kind, office.document_number_format),
            "today": timezone.localdate(issued.issued_at) if issued else timezone.localdate(),
            "for_pdf": for_pdf,
            "toolbar": toolbar,
            "check_url": check_url(issued.code) if issued else "",
            "qr_src": qr_data_uri(check_url(issued.code)) if issued else "",
            **kind.context(subject),
        }
        return render_to_string(kind.template, context)


def render_pdf(kind: DocumentKind, subject, *, issued: IssuedDocument | None = None) -> bytes:
    html = render_html(kind, subject, issued=issued, for_pdf=True)
    library = weasyprint()
    fetcher = library.urls.URLFetcher(allowed_protocols={"data"})
    document = library.HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets())


def stylesheets() -> tuple:
    """The documents' styles, parsed once per process (a third of a one-page document's time otherwise) and
    again when the file changes."""
    return _parsed_stylesheets(STYLESHEET.stat().st_mtime_ns)


@functools.cache
def _parsed_stylesheets(_version: int) -> tuple:
    return (weasyprint().CSS(filename=str(STYLESHEET)), page_number_css())


def page_number_css():
    """ "Halaman 2 dari 5" at the foot of every page, from CSS counters."""
    with translation.override(settings.LANGUAGE_CODE):
        words = translation.gettext("Page %(page)s of %(pages)s").replace("\\", "").replace('"', "")
    content = (
        '"' + words.replace("%(page)s", '" counter(page) "').replace("%(pages)s", '" counter(pages) "') + '"'
    )
    footer = f"content: {content}; font-family: 'DejaVu Sans', sans-serif; font-size: 8pt;"
    return weasyprint().CSS(string="@page { @bottom-right { " + footer + " } }")
