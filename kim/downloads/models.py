"""An export job: one file a person asked for, from the moment it is asked for until its file expires.

The row is saved before anything is queued, so nothing asked for is lost when the broker is down: the beat's
sweep sends what is still waiting. The worker claims a queued job before it builds (one build at a time), and
stamps `heartbeat_at` as it goes, so that a job whose worker died is noticed and given back to the queue."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("expired")

    LIVE_STATES = (State.QUEUED, State.RUNNING)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
        db_index=False,  # the indexes below start with the owner
    )
    kind = models.CharField(_("export"), max_length=40)  # a registered kind's name: "villages", "recap"
    file_format = models.CharField(_("format"), max_length=10)  # "csv", "xlsx", "pdf"
    # The kind's cleaned parameters (a list's filters), and their fingerprint: the same person asking for the
    # same kind, format and parameters while a job is waiting or running gets that job.
    params = models.JSONField(_("filters"), default=dict)
    params_key = models.CharField(max_length=64)
    # What the Downloads page says, written when the job is asked for (in the language of that request).
    title = models.CharField(_("export"), max_length=200)
    summary = models.CharField(_("filters"), max_length=500, blank=True)
    # The file is written in the language the person asked in (its header, its words).
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("asked for"), default=timezone.now)
    # When the job was last handed to the broker (None: never, the broker was down).
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # The file's name in the exports storage (settings.EXPORT_ROOT, never public media), its size, and
    # the name it is downloaded under.
    file = models.CharField(max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=150, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    error = models.CharField(_("why it failed"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind", "file_format", "params_key"],
                condition=Q(state__in=["queued", "running"]),
                name="one_live_export_per_request",
            )
        ]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="export_owner_recent"),
            # The sweep: waiting and running jobs, and files to delete (partial indexes stay small).
            models.Index(
                fields=["state", "created_at"],
                condition=Q(state__in=["queued", "running"]),
                name="export_live",
            ),
            models.Index(fields=["expires_at"], condition=Q(state="done"), name="export_expiring"),
        ]

    def __str__(self):
        return f"{self.title} ({self.file_format}) #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("downloads:job", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE_STATES

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def is_failed(self) -> bool:
        return self.state == self.State.FAILED

    @property
    def is_expired(self) -> bool:
        return self.state == self.State.EXPIRED

    @property
    def download_name(self) -> str:
        return f"{self.filename}.{self.file_format}"
