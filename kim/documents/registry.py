"""What documents the app writes. The engine names no domain: each feature registers its document kinds from
its own documents.py (listed in DOCUMENT_FEATURES, kim/apps.py, imported when the app is ready), and the
engine asks the registry.

Registering a kind
------------------
    from kim.documents import registry

    registry.register(
        registry.DocumentKind(
            name="formation.minutes",              # the URL's and the issued row's name; at most 40 characters
            subject_type="formation",              # the record it is made from; a page lists the documents of
                                                   # its subject_type (documents/_panel.html)
            label=gettext_lazy("Minutes of the village meeting"),  # what the pages call it
            classification="400",                  # archive classification code, first in its number
            subjects=lambda user: formations_for(user),  # the records this person may open, as their own
                                                   # page finds them (the same selector): others are a 404
            may_read=lambda user, subject: ...,    # who sees the draft, the issued documents and their files
            may_issue=lambda user, subject: ..., # who issues, replaces and revokes (a leader never: the
                                                   # middleware refuses a leader's POST anyway)
            missing=lambda subject: [...],         # what the record still lacks, in plain Indonesian; a kind
                                                   # with anything missing can be previewed but not issued
            title=lambda subject: "...",           # the document's title as the public check page shows it:
                                                   # no personal data beyond what the title itself carries
            template="kim/formation/documents/minutes.html",  # extends "documents/document.html"
            context=lambda subject: {...},         # the template's data, read from the record
            filename=lambda subject: "berita-acara-selakambang",  # without suffix
            subject_url=lambda subject: subject.get_absolute_url(),
        )
    )

The document's template extends "documents/document.html" and fills its blocks: `letterhead` (the office's
kop surat by default; an agency's letter passes `letterhead` in its context: any object with
government_line, name, address_line and contact_line, see kim.office.models.Office), `heading` (title and
number), `body`, and `signatures`. The engine adds to every context: `office`, `logo_src` (the regency's
emblem as a data: URI), `issued` (the IssuedDocument, or None for a draft), `number` (its number, or the
dotted blank of a draft), `today`, and `kind`. Dates go through `{% load documents %}`'s `long_date` /
`day_date` filters ("10 Januari 2019", "Kamis, 10 Januari 2019").

Photos are embedded as data: URIs (kim.documents.rendering.photo_data_uri): WeasyPrint fetches nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

NAME_MAX_LENGTH = 40


@dataclass(frozen=True)
class DocumentKind:
    name: str
    subject_type: str
    label: Promise | str
    classification: str
    subjects: Callable[[Any], QuerySet]
    may_read: Callable[[Any, Any], bool]
    may_issue: Callable[[Any, Any], bool]
    missing: Callable[[Any], list[str]]
    title: Callable[[Any], str]
    template: str
    context: Callable[[Any], dict[str, Any]]
    filename: Callable[[Any], str]
    subject_url: Callable[[Any], str]

    def __post_init__(self):
        if len(self.name) > NAME_MAX_LENGTH or not self.name.replace(".", "").replace("_", "").isalnum():
            raise ValueError(f"A document kind's name is at most {NAME_MAX_LENGTH} letters, digits, . and _.")


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"Document kind {kind.name!r} is registered twice.")
    _KINDS[kind.name] = kind
    return kind


def kind(name: str) -> DocumentKind | None:
    return _KINDS.get(name)


def kinds(subject_type: str | None = None) -> list[DocumentKind]:
    """In the order they were registered (DOCUMENT_FEATURES, then each file's order)."""
    return [k for k in _KINDS.values() if subject_type is None or k.subject_type == subject_type]
