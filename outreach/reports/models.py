"""What a held session leaves: its report, attendees, photos and follow-up actions."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kim.lib.dates import InDateRange, in_date_range
from kim.lib.phone import PhoneField
from kim.lib.uploads import Photo, photo_field
from outreach.sessions.models import Session


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

    history = HistoricalRecords()

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


class SessionPhoto(Photo):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="photos")
    image = photo_field("sessions")

    class Meta:
        verbose_name = _("session photo")
        verbose_name_plural = _("session photos")

    def get_absolute_url(self) -> str:
        return reverse("outreach:session_photo", args=[self.session_id, self.pk])

    def get_thumbnail_url(self) -> str:
        return reverse("outreach:session_photo_thumbnail", args=[self.session_id, self.pk])


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def overdue(self, today=None):
        """Not done, and its due date is past (the rule of FollowUp.is_overdue)."""
        return self.open().filter(due_on__lt=today or timezone.localdate())


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
    due_on = models.DateField(_("due date"), validators=[InDateRange()])
    done_on = models.DateField(_("done on"), null=True, blank=True, validators=[InDateRange()])

    objects = FollowUpQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]
        constraints = [
            in_date_range("due_on", name="follow_up_due_in_range", nullable=False),
            in_date_range("done_on", name="follow_up_done_in_range"),
        ]

    def __str__(self):
        return self.action

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()
