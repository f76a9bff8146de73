"""The office's letterhead and its signatories, kept by staff administrators and printed on every document
the office hands upward (the yearly recap, and the letters and minutes that follow)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kim.lib.nip import NIP_PATTERN, nip_display, validate_nip  # noqa: F401 (importable from here as before)
from kim.lib.phone import PhoneField, phone_display
from kim.lib.uploads import PHOTO_TYPES, FileCheck, PrivatePath, TypedFileField

POSTAL_CODE_PATTERN = re.compile(r"[0-9]{5}")
OFFICE_ID = 1


def validate_postal_code(value: str) -> None:
    if not POSTAL_CODE_PATTERN.fullmatch(value):
        raise ValidationError(_("A postal code has exactly 5 digits."), code="postal_code")


NUMBER_TOKENS = ("{kode}", "{nomor}", "{bulan}", "{tahun}")
DEFAULT_NUMBER_FORMAT = "{kode}/{nomor}/IKP/{tahun}"
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def validate_number_format(value: str) -> None:
    """A document number's pattern: text with the tokens {kode}, {nomor}, {bulan} and {tahun}, and no other
    brace; {nomor} and {tahun} must be there, or two documents could share a number."""
    rest = value
    for token in NUMBER_TOKENS:
        rest = rest.replace(token, "")
    if "{" in rest or "}" in rest:
        raise ValidationError(
            _("Only {kode}, {nomor}, {bulan} and {tahun} may stand in braces."), code="number_format_token"
        )
    if "{nomor}" not in value or "{tahun}" not in value:
        raise ValidationError(_("The pattern needs {nomor} and {tahun}."), code="number_format_required")


def document_number(pattern: str, *, classification: str, sequence: int, year: int, month: int) -> str:
    """400/014/IKP/2026: the pattern's tokens filled, the sequence in at least three digits, the month in
    Roman numerals (as many offices write it: 400/014/IKP/XII/2026)."""
    return (
        pattern.replace("{kode}", classification)
        .replace("{nomor}", f"{sequence:03d}")
        .replace("{bulan}", ROMAN_MONTHS[month - 1])
        .replace("{tahun}", str(year))
    )


class Office(models.Model):
    """The one office whose letterhead heads every document: a single row (id 1), made by the migration."""

    name = models.CharField(_("office name"), max_length=150)
    address = models.CharField(_("address"), max_length=250)
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[validate_postal_code]
    )
    phone = PhoneField(_("phone"), office=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    place = models.CharField(
        _("place of signing"),
        max_length=60,
        help_text=_("The town written before the date under a document: usually the regency's own."),
    )
    logo = TypedFileField(
        _("logo"),
        upload_to=PrivatePath("office"),
        validators=[FileCheck(PHOTO_TYPES)],
        blank=True,
        max_length=200,
        help_text=_("The regency's emblem, JPEG or PNG, shown at the left of the letterhead."),
    )
    document_number_format = models.CharField(
        _("document number pattern"),
        max_length=60,
        default=DEFAULT_NUMBER_FORMAT,
        validators=[validate_number_format],
        help_text=_(
            "How issued documents are numbered: {kode} the archive classification code of the document's kind, "
            "{nomor} the sequence in the year (014), {bulan} the month in Roman numerals, {tahun} the year. "
            "For example {kode}/{nomor}/IKP/{tahun} gives 400/014/IKP/2026."
        ),
    )
    # Set by the migration's defaults, cleared once a staff administrator saves the letterhead.
    is_placeholder = models.BooleanField(_("still the default"), default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("office letterhead")
        verbose_name_plural = _("office letterheads")
        constraints = [models.CheckConstraint(condition=Q(id=OFFICE_ID), name="one_office")]

    def __str__(self):
        return self.name

    @property
    def government_line(self) -> str:
        """PEMERINTAH KABUPATEN PURBALINGGA: from the regency's name in settings, so any regency reads right."""
        return f"PEMERINTAH {settings.KIM_REGENCY_NAME}".upper()

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)

    @property
    def address_line(self) -> str:
        """The street, the phone, the town and its postal code: Jl. … Telp. (0281) 891012 Purbalingga 53311."""
        parts = [self.address]
        if self.phone:
            parts.append(gettext("Tel. %(number)s") % {"number": self.phone_display})
        parts.append(" ".join(part for part in (self.place, self.postal_code) if part))
        return " ".join(part for part in parts if part)

    @property
    def contact_line(self) -> str:
        """The website and the email, when kept."""
        parts = []
        if self.website:
            parts.append(gettext("Website: %(address)s") % {"address": self.website})
        if self.email:
            parts.append(gettext("Email: %(address)s") % {"address": self.email})
        return " · ".join(parts)


class Signatory(models.Model):
    """Who signs the office's documents, one person for each signing role."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head of office (signs under “Mengetahui”)")
        PREPARER = "preparer", _("Preparer (for example the Kabid IKP)")

    role = models.CharField(_("signing role"), max_length=10, choices=Role.choices, unique=True)
    name = models.CharField(_("name"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=18, validators=[validate_nip])
    position = models.CharField(
        _("position"),
        max_length=200,
        help_text=_("As printed above the name, for example Kepala Dinas Komunikasi dan Informatika."),
    )
    rank = models.CharField(
        _("rank / golongan"), max_length=100, blank=True, help_text=_("For example Pembina Tk. I (IV/b).")
    )
    is_placeholder = models.BooleanField(_("still the default"), default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["role"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["head", "preparer"]), name="signatory_role")
        ]

    def __str__(self):
        return f"{self.name} ({self.position})"

    @property
    def nip_display(self) -> str:
        return nip_display(self.nip)
