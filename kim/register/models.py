import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kim.lib.dates import InDateRange, in_date_range
from kim.lib.phone import PhoneField, whatsapp_url
from kim.lib.uploads import DOCUMENT_TYPES, FileCheck, PrivatePath, TypedFileField

# ASCII digits only: `\d` would also take Arabic-Indic and other digits.
NIK_PATTERN = re.compile(r"[0-9]{16}")


def validate_nik(value: str) -> None:
    """A NIK is 16 digits; its first six are the holder's district code, its next six a date of birth."""
    if not NIK_PATTERN.fullmatch(value):
        raise ValidationError(_("A NIK has exactly 16 digits."), code="nik_length")
    day, month = int(value[6:8]), int(value[8:10])
    if day > 40:  # women's NIKs add 40 to the day of birth
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        raise ValidationError(_("This NIK does not hold a valid date of birth."), code="nik_date")


class DevelopmentLevel(models.Model):
    """Labels staff use to grade how far a KIM has developed (for example: pemula, madya, utama)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    rank = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.CharField(_("description"), max_length=250, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("development level")
        verbose_name_plural = _("development levels")
        ordering = ["rank", "name"]

    def __str__(self):
        return self.name


def visit_cutoff(today: dt.date | None = None) -> dt.date:
    """An active KIM last visited (or, never visited, founded) before this day is overdue for a visit."""
    return (today or timezone.localdate()) - dt.timedelta(days=settings.KIM_VISIT_CADENCE_DAYS)


class KimQuerySet(models.QuerySet):
    def for_user(self, user):
        """Staff, leaders and agency officers see every KIM; a village head only their own village's."""
        if user.reads_programme or user.is_opd_officer:
            return self
        if user.is_village_head:
            return self.filter(village_id=user.village_id)
        return self.none()

    def active(self):
        return self.filter(status=Kim.Status.ACTIVE)

    def registered(self):
        """KIMs that exist (active or inactive), not groups still being formed."""
        return self.exclude(status=Kim.Status.FORMING)

    def visit_overdue(self, today: dt.date | None = None):
        """The rule of Kim.visit_overdue, in the database: active KIMs last visited before the cutoff, or
        never visited and founded before it, or with neither date."""
        cutoff = visit_cutoff(today)
        never_since_founding = Q(last_visit_on__isnull=True) & (
            Q(founded_on__isnull=True) | Q(founded_on__lt=cutoff)
        )
        return self.active().filter(Q(last_visit_on__lt=cutoff) | never_since_founding)


class Kim(models.Model):
    """A Kelompok Informasi Masyarakat: formed through a Formation, or recorded as it was before."""

    class Status(models.TextChoices):
        FORMING = "forming", _("being formed")
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")

    class Origin(models.TextChoices):
        ADOPTED = "adopted", _("existing group that took on the work")
        NEW = "new", _("new group")

    class Issuer(models.TextChoices):
        VILLAGE_HEAD = "kepala_desa", _("Kepala Desa")
        LURAH = "lurah", _("Lurah")
        CAMAT = "camat", _("Camat")
        BUPATI = "bupati", _("Bupati")
        OTHER = "lainnya", _("Other")

    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="kims"
    )
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.NEW)
    community_group = models.ForeignKey(
        "villages.CommunityGroup",
        verbose_name=_("adopted community group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kims",
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True, validators=[InDateRange()])
    sk_issuer = models.CharField(
        _("decree (SK) issued by"), max_length=15, choices=Issuer.choices, blank=True
    )
    sk_number = models.CharField(_("decree (SK) number"), max_length=100, blank=True)
    sk_date = models.DateField(_("decree (SK) date"), null=True, blank=True, validators=[InDateRange()])
    sk_file = TypedFileField(
        _("decree (SK) scan, PDF"),
        upload_to=PrivatePath("sk"),
        validators=[FileCheck(DOCUMENT_TYPES)],
        blank=True,
        max_length=200,
    )
    kimid_number = models.CharField(_("KIM.id number"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    social_media = models.CharField(_("social media"), max_length=300, blank=True)
    whatsapp_group = models.URLField(_("WhatsApp group link"), blank=True)
    level = models.ForeignKey(
        DevelopmentLevel,
        verbose_name=_("development level"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Dinkominfo mentors"),
        blank=True,
        related_name="mentored_kims",
        limit_choices_to={"role__in": ["staff", "staff_admin"]},
    )
    # Kept by the mentoring services, so that lists can filter and flag on it without a join.
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True, validators=[InDateRange()])
    is_sample = models.BooleanField(_("sample data"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = KimQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KIM")
        verbose_name_plural = _("KIMs")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["village", "status"]),
            models.Index(fields=["status", "name"]),
            # The register lists KIMs by name, then id.
            models.Index(fields=["name", "id"]),
            models.Index(fields=["last_visit_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["village"], condition=~Q(status="inactive"), name="one_current_kim_per_village"
            ),
            in_date_range("founded_on", name="kim_founded_in_range"),
            in_date_range("sk_date", name="kim_sk_date_in_range"),
            in_date_range("last_visit_on", name="kim_last_visit_in_range"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def visit_due_on(self) -> dt.date | None:
        """The day a mentoring visit falls due: the cadence after the last visit (never visited: after the
        founding). None when there is neither date to count from."""
        since = self.last_visit_on or self.founded_on
        return since + dt.timedelta(days=settings.KIM_VISIT_CADENCE_DAYS) if since else None

    def visit_overdue(self, today: dt.date | None = None) -> bool:
        """Active and past the day its visit fell due; an active KIM with neither a visit nor a founding date
        is overdue at once. KimQuerySet.visit_overdue is the same rule for a list."""
        if not self.is_active:
            return False
        due_on = self.visit_due_on
        return due_on is None or due_on < (today or timezone.localdate())


class MemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_on__isnull=True)

    def by_rank(self):
        """Ketua first, then wakil, sekretaris, bendahara, seksi and anggota; by name within each."""
        ranks = [
            When(position=position, then=Value(rank)) for rank, position in enumerate(Member.Position.values)
        ]
        return self.annotate(position_rank=Case(*ranks, default=Value(99))).order_by("position_rank", "name")


class Member(models.Model):
    """A member or officer of a KIM for one term; a successor is a new row, so the history stays."""

    class Position(models.TextChoices):
        KETUA = "ketua", _("Ketua (chair)")
        WAKIL = "wakil", _("Wakil ketua (vice chair)")
        SEKRETARIS = "sekretaris", _("Sekretaris (secretary)")
        BENDAHARA = "bendahara", _("Bendahara (treasurer)")
        SEKSI = "seksi", _("Seksi (section)")
        ANGGOTA = "anggota", _("Anggota (member)")

    class Gender(models.TextChoices):
        MALE = "L", _("male")
        FEMALE = "P", _("female")

    kim = models.ForeignKey(Kim, verbose_name=_("KIM"), on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(
        _("position"), max_length=12, choices=Position.choices, default=Position.ANGGOTA
    )
    section = models.CharField(_("section"), max_length=100, blank=True)
    phone = PhoneField(_("phone"))
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        blank=True,
        validators=[validate_nik],
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True, validators=[InDateRange()])
    term_end = models.DateField(_("term end"), null=True, blank=True, validators=[InDateRange()])
    left_on = models.DateField(_("left on"), null=True, blank=True, validators=[InDateRange()])

    objects = MemberQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["left_on", "position", "name"]
        indexes = [models.Index(fields=["kim", "left_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kim"], condition=Q(position="ketua", left_on__isnull=True), name="one_current_ketua"
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="member_term_ends_after_start",
            ),
            in_date_range("term_start", name="member_term_start_in_range"),
            in_date_range("term_end", name="member_term_end_in_range"),
            in_date_range("left_on", name="member_left_in_range"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_position_display()})"

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    @property
    def whatsapp_url(self) -> str:
        return whatsapp_url(self.phone)
