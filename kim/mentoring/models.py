from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kim.lib.dates import InDateRange, in_date_range
from kim.lib.uploads import Photo, photo_field


class Visit(models.Model):
    """A mentoring visit to a KIM by Dinkominfo officers."""

    class Kind(models.TextChoices):
        PENDAMPINGAN = "pendampingan", _("Mentoring (pendampingan)")
        PEMBINAAN = "pembinaan", _("Guidance (pembinaan)")
        SOSIALISASI = "sosialisasi", _("Awareness session (sosialisasi)")
        PEMBEKALAN = "pembekalan", _("Briefing (pembekalan)")
        BIMTEK = "bimtek", _("Technical training (bimtek)")

    kim = models.ForeignKey("kim.Kim", verbose_name=_("KIM"), on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("date"), validators=[InDateRange()])
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officers"),
        related_name="kim_visits",
        limit_choices_to={"role__in": ["staff", "staff_admin"]},
    )
    topic = models.CharField(_("topic"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
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
        verbose_name = _("mentoring visit")
        verbose_name_plural = _("mentoring visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["kim", "-visited_on"])]
        constraints = [in_date_range("visited_on", name="visit_date_in_range", nullable=False)]

    def __str__(self):
        return f"{self.get_kind_display()} {self.visited_on:%d-%m-%Y}"


class VisitPhoto(Photo):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    image = photo_field("visits")

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def get_absolute_url(self) -> str:
        return reverse("mentoring:visit_photo", args=[self.pk])

    def get_thumbnail_url(self) -> str:
        return reverse("mentoring:visit_photo_thumbnail", args=[self.pk])
