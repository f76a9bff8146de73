from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kim.phone import PhoneField, whatsapp_url


class Role(models.TextChoices):
    STAFF = "staff", _("Dinkominfo staff")
    STAFF_ADMIN = "staff_admin", _("Staff administrator")
    VILLAGE_HEAD = "village_head", _("Village head")
    OPD_OFFICER = "opd_officer", _("Agency (OPD) officer")


class User(AbstractUser):
    """An account. Its role decides what it may see; heads and officers are bound to one village or agency."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heads",
    )
    agency = models.ForeignKey(
        "outreach.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )
    phone = PhoneField(_("mobile phone"))

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="village_head") | Q(village__isnull=False),
                name="village_head_has_village",
            ),
            models.CheckConstraint(
                condition=~Q(role="opd_officer") | Q(agency__isnull=False),
                name="opd_officer_has_agency",
            ),
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="unique_nonblank_email"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_dinkominfo(self) -> bool:
        """Staff and staff admins: the people who run the KIM programme."""
        return self.is_authenticated and self.role in {Role.STAFF, Role.STAFF_ADMIN}

    @property
    def is_staff_admin(self) -> bool:
        return self.is_authenticated and self.role == Role.STAFF_ADMIN

    @property
    def is_village_head(self) -> bool:
        return self.is_authenticated and self.role == Role.VILLAGE_HEAD

    @property
    def is_opd_officer(self) -> bool:
        return self.is_authenticated and self.role == Role.OPD_OFFICER

    @property
    def whatsapp_url(self) -> str:
        return whatsapp_url(self.phone)


class KimQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Kim.Status.ACTIVE)


class Kim(models.Model):
    """A Kelompok Informasi Masyarakat. The register and its formation workflow grow from here."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")

    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="kims"
    )
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = KimQuerySet.as_manager()

    class Meta:
        verbose_name = _("KIM")
        verbose_name_plural = _("KIMs")
        ordering = ["name"]
        indexes = [models.Index(fields=["village", "status"])]

    def __str__(self):
        return self.name


class Heartbeat(models.Model):
    """The last time a periodic task ran, so that a stopped beat or a stuck worker is noticed."""

    name = models.CharField(max_length=50, primary_key=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")

    def __str__(self):
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @property
    def is_stale(self) -> bool:
        age = (timezone.now() - self.beat_at).total_seconds()
        return age > settings.HEARTBEAT_STALE_AFTER_SECONDS
