from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kim.phone import PhoneField, whatsapp_url
from kim.uploads import PHOTO_TYPES, FileCheck, PrivatePath


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


class Topic(models.Model):
    """A subject sessions are held on, from a list staff keep (for example: penanggulangan stunting)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    is_active = models.BooleanField(_("in use"), default=True)

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


class SessionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Staff see every session; an officer their agency's; a village head those in their village's KIM."""
        if user.is_dinkominfo:
            return self
        if user.is_opd_officer:
            return self.filter(agency_id=user.agency_id)
        if user.is_village_head:
            return self.filter(kim__village_id=user.village_id)
        return self.none()

    def overlapping(self, starts_at, ends_at):
        """Sessions still on (not cancelled) whose time overlaps [starts_at, ends_at)."""
        return self.exclude(state=Session.State.CANCELLED).filter(
            starts_at__lt=ends_at, ends_at__gt=starts_at
        )


class Session(models.Model):
    """A dissemination session (sosialisasi) an agency holds in a KIM's village, with resource persons."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")
        HELD = "held", _("held")
        REPORTED = "reported", _("reported")
        CANCELLED = "cancelled", _("cancelled")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="sessions"
    )
    kim = models.ForeignKey(
        "kim.Kim", verbose_name=_("KIM"), on_delete=models.PROTECT, related_name="sessions"
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    topic_other = models.CharField(_("other topic"), max_length=150, blank=True)
    title = models.CharField(_("title"), max_length=200)
    # Stored in UTC like every time here; shown in WIB.
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=250)
    resource_persons = models.ManyToManyField(
        ResourcePerson, verbose_name=_("resource persons"), blank=True, related_name="sessions"
    )
    expected_audience = models.PositiveIntegerField(_("expected audience"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    # The village's answer when it asked for another date (the session stays proposed until rescheduled).
    date_request = models.CharField(_("another date asked, with the reason"), max_length=1000, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=1000, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["starts_at", "id"]),
            models.Index(fields=["agency", "starts_at"]),
            models.Index(fields=["kim", "starts_at"]),
            models.Index(fields=["state", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def topic_name(self) -> str:
        return self.topic.name if self.topic else self.topic_other


class SessionEvent(models.Model):
    """A line of a session's history: proposed, confirmed, another date asked, rescheduled, cancelled…"""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CHANGED = "changed", _("details changed")
        CONFIRMED = "confirmed", _("confirmed")
        DATE_REQUESTED = "date_requested", _("another date asked")
        RESCHEDULED = "rescheduled", _("rescheduled")
        HELD = "held", _("marked as held")
        REPORTED = "reported", _("report recorded")
        CANCELLED = "cancelled", _("cancelled")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=15, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    notes = models.CharField(_("notes"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("session event")
        verbose_name_plural = _("session events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["session", "-at"])]

    def __str__(self):
        return self.get_kind_display()


class SessionReport(models.Model):
    """What happened at a held session: attendance by gender, the minutes (notulen)."""

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="report"
    )
    attended_male = models.PositiveIntegerField(_("men attending"), default=0)
    attended_female = models.PositiveIntegerField(_("women attending"), default=0)
    minutes = models.TextField(_("minutes (notulen)"), max_length=20000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("session report")
        verbose_name_plural = _("session reports")

    def __str__(self):
        return str(self.session)

    @property
    def attended(self) -> int:
        return self.attended_male + self.attended_female


class Attendee(models.Model):
    """A name from the paper attendance list (daftar hadir), typed in afterwards; optional."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("name"), max_length=150)
    gender = models.CharField(
        _("gender"), max_length=1, choices=[("L", _("male")), ("P", _("female"))], blank=True
    )
    origin = models.CharField(_("from (RT/RW, group or institution)"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["id"]

    def __str__(self):
        return self.name


class SessionPhoto(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("photo"), upload_to=PrivatePath("sessions"), validators=[FileCheck(PHOTO_TYPES)], max_length=200
    )

    class Meta:
        verbose_name = _("session photo")
        verbose_name_plural = _("session photos")

    def __str__(self):
        return self.image.name


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)


class FollowUp(models.Model):
    """A follow-up action (tindak lanjut) agreed at a session, with its owner and due date."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("owner"), max_length=150)
    # The owner is often someone without an account (the village midwife): reminders reach them on WhatsApp.
    owner_phone = PhoneField(_("owner's phone"))
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner's account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self):
        return self.action


from outreach.models_feed import CalendarFeed  # noqa: E402,F401
