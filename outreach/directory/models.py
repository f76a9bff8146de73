"""The directory the outreach work draws on: agencies (OPD), topics and resource persons."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kim.lib.phone import PhoneField, phone_display, whatsapp_url
from kim.lib.regency import regency_name, regency_short_name
from kim.office.models import validate_nip, validate_postal_code


class Agency(models.Model):
    """A regional government agency (OPD). Grows with the outreach work: sessions, resource persons."""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Office (dinas)")
        BADAN = "badan", _("Agency (badan)")
        SECRETARIAT = "sekretariat", _("Secretariat")
        PUSKESMAS = "puskesmas", _("Community health centre (puskesmas)")
        KECAMATAN = "kecamatan", _("District office (kecamatan)")
        OTHER = "lainnya", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DINAS)
    # The office number: a landline will do (no WhatsApp link is made for it).
    phone = PhoneField(_("phone"), office=True, max_length=30)
    email = models.EmailField(_("email address"), blank=True)
    # The agency's own letterhead and signatory, for the letters it sends (an invitation to a village) and
    # the reports it countersigns; optional until the agency's documents are issued.
    address = models.CharField(_("address"), max_length=250, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[validate_postal_code]
    )
    head_name = models.CharField(_("head's name"), max_length=150, blank=True)
    head_nip = models.CharField(_("head's NIP"), max_length=18, blank=True, validators=[validate_nip])
    head_position = models.CharField(
        _("head's position"),
        max_length=200,
        blank=True,
        help_text=_("As printed above the name, for example Kepala Dinas Kesehatan."),
    )
    head_rank = models.CharField(
        _("head's rank / golongan"),
        max_length=100,
        blank=True,
        help_text=_("For example Pembina Tk. I (IV/b)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["short_name"]

    def __str__(self):
        return self.short_name

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)

    # The letterhead (kop surat) of the agency's own letters: what kim/office/_partials/letterhead.html reads.

    @property
    def government_line(self) -> str:
        """PEMERINTAH KABUPATEN PURBALINGGA, as on the office's letterhead."""
        return f"PEMERINTAH {regency_name()}".upper()

    @property
    def address_line(self) -> str:
        """The street, the phone, the town and its postal code: Jl. … Telp. (0281) 891012 Purbalingga 53311."""
        parts = [self.address]
        if self.phone:
            parts.append(gettext("Tel. %(number)s") % {"number": self.phone_display})
        parts.append(" ".join(part for part in (regency_short_name(), self.postal_code) if part))
        return " ".join(part for part in parts if part)

    @property
    def contact_line(self) -> str:
        return gettext("Email: %(address)s") % {"address": self.email} if self.email else ""

    @property
    def head_title(self) -> str:
        """What the head signs as: their position as kept, or "Kepala Dinas Kesehatan" from the name."""
        return self.head_position or f"Kepala {self.name}"

    @property
    def has_head(self) -> bool:
        """Whether the head's name and NIP are kept: what the agency's letters and countersignatures need."""
        return bool(self.head_name and self.head_nip)


class Topic(models.Model):
    """A subject sessions are held on, from a list staff keep (for example: penanggulangan stunting)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ResourcePersonQuerySet(models.QuerySet):
    def editable_by(self, user):
        """Staff edit every resource person; an agency officer only their own agency's."""
        if user.is_dinkominfo:
            return self
        if user.is_opd_officer:
            return self.filter(agency_id=user.agency_id)
        return self.none()


class ResourcePerson(models.Model):
    """A narasumber: someone who speaks at sessions on some topics, from an agency or another sector."""

    name = models.CharField(_("name"), max_length=150)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resource_persons",
    )
    sector = models.CharField(_("sector or institution"), max_length=150, blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="resource_persons"
    )
    phone = PhoneField(_("phone"))
    email = models.EmailField(_("email address"), blank=True)
    is_active = models.BooleanField(_("available"), default=True)

    objects = ResourcePersonQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resource person")
        verbose_name_plural = _("resource persons")
        ordering = ["name"]
        indexes = [models.Index(fields=["agency", "name"])]

    def __str__(self):
        return self.name

    @property
    def whatsapp_url(self) -> str:
        return whatsapp_url(self.phone)
