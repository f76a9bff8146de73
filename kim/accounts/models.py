from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kim.lib.nip import nip_display, validate_nip
from kim.lib.phone import PhoneField, whatsapp_url


class Role(models.TextChoices):
    STAFF = "staff", _("Dinkominfo staff")
    STAFF_ADMIN = "staff_admin", _("Staff administrator")
    VILLAGE_HEAD = "village_head", _("Village head")
    OPD_OFFICER = "opd_officer", _("Agency (OPD) officer")
    LEADER = "leader", _("Leader (Pimpinan)")


class AccountManager(UserManager):
    """Django's manager less the is_staff and is_superuser flags, which the role decides (User.is_staff)."""

    def create_user(self, username, email=None, password=None, **extra_fields):
        return self._create_user(username, email, password, **extra_fields)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` makes the first staff administrator: without a role it could open no page."""
        extra_fields.setdefault("role", Role.STAFF_ADMIN)
        return self._create_user(username, email, password, **extra_fields)


class User(AbstractUser):
    """An account. Its role decides what it may see; heads and officers are bound to one village or agency.

    An account made outside the account pages (Django admin, the shell) has no role until a staff
    administrator gives it one, and until then it may open no page (kim.accounts.access).

    Django admin's two flags are not stored: both read the role, so an account demoted in the app loses Django
    admin on its next request, whichever way the role was changed (the account form, Django admin, an update).
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True, default="")
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
    # What an assignment letter (surat tugas) prints of an officer sent on a visit. Optional: not every
    # officer is a civil servant, and other roles sign nothing.
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[validate_nip])
    rank = models.CharField(
        _("rank / golongan"), max_length=100, blank=True, help_text=_("For example Penata Muda (III/a).")
    )
    position = models.CharField(
        _("position (jabatan)"),
        max_length=200,
        blank=True,
        help_text=_("As printed in letters, for example Pranata Humas Ahli Pertama."),
    )
    # Reminders always reach the in-app inbox; email and WhatsApp as the person chooses.
    notify_by_email = models.BooleanField(_("reminders by email"), default=True)
    notify_by_whatsapp = models.BooleanField(_("reminders by WhatsApp"), default=False)

    # The audit trail (kim.audit): signing in only stamps last_login, which is no change of the account; and
    # no past password hash is kept, which a copy of the database would otherwise hand to a cracker.
    history = HistoricalRecords(excluded_fields=["last_login", "password"])

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

    objects: ClassVar[AccountManager] = AccountManager()

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def has_role(self) -> bool:
        """False for an account whose role was never chosen (or is one the app no longer knows)."""
        return self.role in Role.values

    @property
    def is_dinkominfo(self) -> bool:
        """Staff and staff admins: the people who run the KIM programme."""
        return self.is_authenticated and self.role in {Role.STAFF, Role.STAFF_ADMIN}

    @property
    def is_staff_admin(self) -> bool:
        return self.is_authenticated and self.role == Role.STAFF_ADMIN

    # Django admin lets in `is_staff` accounts and gives `is_superuser` ones every model permission: staff
    # administrators, and nobody else, are both.
    @property
    def is_staff(self) -> bool:  # type: ignore[override]
        return self.is_staff_admin

    @property
    def is_superuser(self) -> bool:  # type: ignore[override]
        return self.is_staff_admin

    @property
    def is_village_head(self) -> bool:
        return self.is_authenticated and self.role == Role.VILLAGE_HEAD

    @property
    def is_opd_officer(self) -> bool:
        return self.is_authenticated and self.role == Role.OPD_OFFICER

    @property
    def reads_programme(self) -> bool:
        """Staff, staff admins and leaders: who read the whole programme (leaders without changing it)."""
        return self.is_authenticated and self.role in {Role.STAFF, Role.STAFF_ADMIN, Role.LEADER}

    @property
    def is_leader(self) -> bool:
        """Pimpinan (Kepala Dinas, Sekretaris, Kabid IKP): read what staff read, change nothing."""
        return self.is_authenticated and self.role == Role.LEADER

    @property
    def whatsapp_url(self) -> str:
        return whatsapp_url(self.phone)

    @property
    def nip_display(self) -> str:
        """The NIP in the groups it is printed in: 19700101 199503 1 001."""
        return nip_display(self.nip)
