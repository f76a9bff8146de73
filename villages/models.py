from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kim.lib.dates import FIRST_YEAR, LAST_YEAR
from kim.lib.history import HistoryEvent
from kim.lib.phone import PhoneField, whatsapp_url
from kim.office.models import validate_nip


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Regency(models.Model):
    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("regency")
        verbose_name_plural = _("regencies")
        ordering = ["code"]

    def __str__(self):
        return self.name


class District(models.Model):
    """A kecamatan."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    regency = models.ForeignKey(Regency, verbose_name=_("regency"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("district (kecamatan)")
        verbose_name_plural = _("districts (kecamatan)")
        ordering = ["code"]

    def __str__(self):
        return self.name


class VillageKind(models.TextChoices):
    DESA = "desa", _("desa")
    KELURAHAN = "kelurahan", _("kelurahan")
    DESA_ADAT = "desa_adat", _("desa adat")

    @classmethod
    def from_code(cls, code: str) -> "VillageKind":
        """The first digit of the four-digit village part: 1 kelurahan, 2 desa, 3 desa adat (Kemendagri)."""
        return {"1": cls.KELURAHAN, "2": cls.DESA, "3": cls.DESA_ADAT}[code[9]]


class VillageQuerySet(models.QuerySet):
    def for_user(self, user):
        """The villages a user may see: all for staff, leaders and agency officers, only their own for a head."""
        if user.reads_programme or user.is_opd_officer:
            return self
        if user.is_village_head:
            return self.filter(pk=user.village_id)
        return self.none()

    def in_home_regency(self):
        return self.filter(district__regency_id=settings.KIM_REGENCY_CODE)


class Village(models.Model):
    """A desa or kelurahan, with the contacts its head keeps up to date."""

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=VillageKind.choices)
    head_name = models.CharField(_("village head's name"), max_length=150, blank=True)
    head_phone = PhoneField(_("village head's phone"))
    # A Lurah is a civil servant and signs with a NIP; an elected Kepala Desa has none.
    head_nip = models.CharField(_("village head's NIP"), max_length=18, blank=True, validators=[validate_nip])
    office_address = models.CharField(_("village office address"), max_length=250, blank=True)

    objects = VillageQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["code"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.get_kind_display().title()} {self.name}"

    @property
    def head_whatsapp_url(self) -> str:
        return whatsapp_url(self.head_phone)

    @property
    def is_desa(self) -> bool:
        """A desa, led by an elected Kepala Desa (not a kelurahan, nor a desa adat)."""
        return self.kind == VillageKind.DESA

    @property
    def is_kelurahan(self) -> bool:
        return self.kind == VillageKind.KELURAHAN

    @property
    def head_title(self) -> str:
        """What its head is called on paper and signs as: a kelurahan's Lurah, every other village's Kepala Desa."""
        return "Lurah" if self.is_kelurahan else "Kepala Desa"

    @property
    def head_signs_with_nip(self) -> bool:
        """A Lurah is a civil servant, whose signature carries a NIP; an elected Kepala Desa has none."""
        return self.is_kelurahan


class VillageYearQuerySet(models.QuerySet):
    def red_zone(self):
        return self.filter(is_red_zone=True)


class VillageYear(models.Model):
    """A village's status in one year: on the zona merah list or not (by which decree), and its mentor."""

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    is_red_zone = models.BooleanField(_("zona merah"), default=False)
    red_zone_decree = models.CharField(_("zona merah decree"), max_length=200, blank=True)
    mentor_agency = models.ForeignKey(
        "outreach.Agency",
        verbose_name=_("mentoring agency (desa binaan)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="binaan_years",
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = VillageYearQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village status for a year")
        verbose_name_plural = _("village statuses by year")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="one_status_per_village_year"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR), name="village_year_in_range"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "is_red_zone"]),
            models.Index(fields=["year", "mentor_agency"]),
        ]

    def __str__(self):
        return f"{self.village} {self.year}"

    @property
    def is_empty(self) -> bool:
        return not self.is_red_zone and self.mentor_agency_id is None


class CommunityGroup(models.Model):
    """A group already active in a village; one of them may later take on the work of a KIM."""

    class Kind(models.TextChoices):
        PKK = "pkk", _("PKK")
        KARANG_TARUNA = "karang_taruna", _("Karang Taruna")
        KELOMPOK_TANI = "kelompok_tani", _("Farmers' group (kelompok tani)")
        POSYANDU = "posyandu", _("Posyandu")
        RELIGIOUS = "keagamaan", _("Religious group")
        YOUTH = "pemuda", _("Youth group")
        OTHER = "lainnya", _("Other")

    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="community_groups"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = PhoneField(_("contact phone"))
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("community group")
        verbose_name_plural = _("community groups")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="unique_group_name_per_village")
        ]

    def __str__(self):
        return self.name

    @property
    def contact_whatsapp_url(self) -> str:
        return whatsapp_url(self.contact_phone)


class VillageChange(HistoryEvent):
    """One line of a village's history: who changed what, and when."""

    subject_field = "village"

    class Action(models.TextChoices):
        CONTACTS = "contacts", _("contacts changed")
        STATUS = "status", _("yearly status changed")
        GROUP_ADDED = "group_added", _("community group added")
        GROUP_CHANGED = "group_changed", _("community group changed")
        GROUP_REMOVED = "group_removed", _("community group removed")

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # This history's free text was named `details` before the shared base; the column keeps its name.
    notes = None  # type: ignore[assignment]
    details = models.CharField(_("details"), max_length=1000, blank=True)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("village change")
        verbose_name_plural = _("village changes")
        indexes = [models.Index(fields=["village", "-at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.details}"
