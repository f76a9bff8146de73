"""The letterhead and the signature block, as every document reads them."""

import base64
import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from kim.lib.regency import regency_short_name
from kim.lib.uploads import PHOTO_CONTENT_TYPES, detected_type
from kim.office.models import OFFICE_ID, Office, Signatory, document_number

OFFICE_NAME = "Dinas Komunikasi dan Informatika"
PLACEHOLDER_MARK = "[Ganti]"
HEAD_POSITION = "Kepala Dinas Komunikasi dan Informatika"
PREPARER_POSITION = "Kepala Bidang Informasi dan Komunikasi Publik"


def default_office() -> Office:
    """What the letterhead holds until a staff administrator saves it (the migration writes the same)."""
    return Office(
        pk=OFFICE_ID,
        name=OFFICE_NAME,
        address=f"{PLACEHOLDER_MARK} Alamat kantor",
        place=regency_short_name(),
        is_placeholder=True,
    )


def default_signatory(role: str) -> Signatory:
    if role == Signatory.Role.HEAD:
        name, position = f"{PLACEHOLDER_MARK} Nama Kepala Dinas", HEAD_POSITION
    else:
        name, position = f"{PLACEHOLDER_MARK} Nama Kepala Bidang IKP", PREPARER_POSITION
    return Signatory(role=role, name=name, nip="", position=position, is_placeholder=True)


def get_office() -> Office:
    """The office's one row; its defaults (unsaved) if the row is missing."""
    return Office.objects.filter(pk=OFFICE_ID).first() or default_office()


def get_signatory(role: str) -> Signatory:
    return Signatory.objects.filter(role=role).first() or default_signatory(role)


def signatories() -> dict[str, Signatory]:
    """Each signing role's person, in one query, with the defaults for a role nobody holds."""
    found = {signatory.role: signatory for signatory in Signatory.objects.all()}
    return {role: found.get(role) or default_signatory(role) for role in Signatory.Role.values}


def logo_data_uri(office: Office) -> str:
    """The logo as a data: URI, so that a PDF is rendered without fetching anything; "" when there is none."""
    if not office.logo:
        return ""
    try:
        with office.logo.open("rb") as handle:
            kind = detected_type(handle) or ""
            if kind not in PHOTO_CONTENT_TYPES:
                return ""
            data = handle.read()
    except OSError:
        return ""
    return f"data:{PHOTO_CONTENT_TYPES[kind]};base64,{base64.b64encode(data).decode('ascii')}"


def long_date(day: dt.date) -> str:
    """A date as letters are dated, in Indonesian: 10 Januari 2019."""
    with translation.override("id"):
        return formats.date_format(day, "j F Y")


@dataclass(frozen=True)
class SignatureBlock:
    """ "Purbalingga, 10 Januari 2019" and the two signatories: the head under "Mengetahui," beside the
    preparer."""

    place: str
    day: dt.date
    head: Signatory
    preparer: Signatory

    @property
    def place_and_date(self) -> str:
        return f"{self.place}, {long_date(self.day)}"

    @property
    def acknowledged(self) -> str:
        return str(_("Mengetahui,"))

    @property
    def rows(self) -> list[tuple[str, str]]:
        """The block as lines of two cells (head, preparer), for a spreadsheet; "" leaves the signing space."""
        head, preparer = self.head, self.preparer
        return [
            ("", self.place_and_date),
            (self.acknowledged, ""),
            (head.position, preparer.position),
            ("", ""),
            ("", ""),
            ("", ""),
            (head.name, preparer.name),
            (head.rank, preparer.rank),
            (nip_line(head), nip_line(preparer)),
        ]

    @property
    def has_placeholders(self) -> bool:
        return self.head.is_placeholder or self.preparer.is_placeholder


def nip_line(signatory: Signatory) -> str:
    return f"NIP. {signatory.nip_display}" if signatory.nip else "NIP. ……………………"


def signature_block(day: dt.date, office: Office | None = None) -> SignatureBlock:
    people = signatories()
    return SignatureBlock(
        place=(office or get_office()).place,
        day=day,
        head=people[Signatory.Role.HEAD],
        preparer=people[Signatory.Role.PREPARER],
    )


def number_example(office: Office, today: dt.date | None = None) -> str:
    """The fourteenth document of this year under a berita acara's code, as the pattern would number it."""
    today = today or timezone.localdate()
    return document_number(
        office.document_number_format, classification="400", sequence=14, year=today.year, month=today.month
    )
