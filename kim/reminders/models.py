"""Reminders: the rules staff keep, the outbox of messages they plan (one row per message to send), and the
heartbeats that show the beat and the sweep are alive."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kim.reminders import registry


class Channel(models.TextChoices):
    INBOX = "inbox", _("inbox")
    EMAIL = "email", _("email")
    WHATSAPP = "whatsapp", _("WhatsApp")


class ReminderRule(models.Model):
    """When to remind whom about what: counted from the trigger's moment by `offset_days` (negative: before),
    then, while the trigger is not resolved, every `repeat_every_days`."""

    trigger = models.CharField(_("trigger"), max_length=25, choices=registry.trigger_choices)
    name = models.CharField(_("name"), max_length=100)
    offset_days = models.SmallIntegerField(
        _("days from the trigger"), default=0, help_text=_("Negative: before it; positive: after it.")
    )
    repeat_every_days = models.PositiveSmallIntegerField(
        _("repeat every (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: once. Repeats stop as soon as the matter is resolved."),
    )
    audience = models.JSONField(_("who receives it"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    # A rule applies to occurrences due from this moment on: a new or edited rule never reaches back to
    # events that are already past.
    effective_from = models.DateTimeField(_("applies from"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["trigger", "offset_days", "id"]

    def __str__(self):
        return self.name


class Reminder(models.Model):
    """One message to one recipient on one channel for one occurrence of a rule: the outbox row.

    The sweep sends rows that are due; the send task claims its row before it sends, so a row goes out at
    most once however often it is queued."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # Every send updates its row twice (queued, then sent), and each index is written again each time: the
    # foreign keys need no index of their own (the unique constraint starts with the rule, the inbox index
    # with the user; accounts are deactivated, not deleted).
    rule = models.ForeignKey(ReminderRule, on_delete=models.PROTECT, related_name="reminders", db_index=False)
    trigger = models.CharField(_("trigger"), max_length=25, choices=registry.trigger_choices)
    # The subject ("session:12", "follow_up:3", "formation:4", "kim:5", "member:9", "digest:0") and the page
    # it concerns ("session:12" for a session and its follow-ups): plain keys, so that deleting the subject
    # leaves the history of what was sent.
    subject = models.CharField(_("about"), max_length=40)
    concerns = models.CharField(max_length=40)
    recipient = models.CharField(_("recipient"), max_length=40)  # "user:7", "person:3", "member:9", "owner:4"
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        db_index=False,
    )
    recipient_name = models.CharField(_("recipient"), max_length=200, blank=True)
    # Why this person receives it (one of the trigger's audiences): the send-time check asks only that
    # audience again.
    audience = models.CharField(_("as"), max_length=20, choices=registry.audience_choices, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Which occurrence: the trigger's moment (so a rescheduled session starts a new series) and the repeat.
    occurrence = models.CharField(max_length=60)
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    address = models.CharField(_("address"), max_length=254, blank=True)
    title = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    relayed_at = models.DateTimeField(_("sent on WhatsApp"), null=True, blank=True)
    relayed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-due_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject", "recipient", "channel", "occurrence"],
                name="one_reminder_per_occurrence",
            )
        ]
        indexes = [
            # The sweep: due rows only (a partial index stays small however much history piles up).
            models.Index(fields=["due_at"], condition=Q(state="planned"), name="reminder_due"),
            models.Index(
                fields=["claimed_at"], condition=Q(state__in=["queued", "sending"]), name="reminder_claimed"
            ),
            models.Index(fields=["concerns", "-due_at"]),
            models.Index(fields=["user", "channel", "-sent_at"]),
            models.Index(fields=["state", "-due_at"]),
        ]

    def __str__(self):
        return f"{self.rule} → {self.recipient_name or self.recipient} ({self.channel})"

    @property
    def is_planned(self) -> bool:
        return self.state == self.State.PLANNED

    @property
    def is_sent(self) -> bool:
        return self.state == self.State.SENT

    @property
    def is_failed(self) -> bool:
        return self.state == self.State.FAILED

    @property
    def is_withdrawn(self) -> bool:
        return self.state == self.State.WITHDRAWN


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
