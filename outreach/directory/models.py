"""The directory the outreach work draws on: agencies (OPD), topics and resource persons."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kim.lib.phone import PhoneField, phone_display, whatsapp_url


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
