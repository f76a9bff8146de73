from django.db import models
from django.utils.translation import gettext_lazy as _


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
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["short_name"]

    def __str__(self):
        return self.short_name
