"""Dissemination sessions an agency holds in a KIM, and their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kim.lib.dates import InDateRange, in_moment_range
from kim.lib.history import HistoryEvent
from outreach.directory.models import Agency, ResourcePerson, Topic


class SessionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Staff and leaders see every session; an officer their agency's; a village head those in their
        village's KIM."""
        if user.reads_programme:
            return self
        if user.is_opd_officer:
            return self.filter(agency_id=user.agency_id)
        if user.is_village_head:
            return self.filter(kim__village_id=user.village_id)
        return self.none()

    def still_on(self):
        """Sessions not cancelled, whatever their state."""
        return self.exclude(state=Session.State.CANCELLED)

    def overlapping(self, starts_at, ends_at):
        """Sessions still on (not cancelled) whose time overlaps [starts_at, ends_at)."""
        return self.still_on().filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def awaiting_confirmation(self, now=None):
        """Proposed sessions still ahead whose village has not asked for another date: they wait for the
        village head's answer, however far ahead they are. One that has started without an answer no longer
        waits (it cannot be held unconfirmed), and one with a date request waits for the agency instead."""
        now = now or timezone.now()
        return self.filter(state=Session.State.PROPOSED, date_request="", starts_at__gte=now)

    def report_owed(self, now=None):
        """Sessions owed a report: confirmed or held (not yet reported), and over.

        Owed once the session has ended, as an officer expects: nobody writes up a session still going on,
        and the reminder "after a session ends, until its report is recorded" counts from the same moment.
        A confirmed session that was never marked held is owed too (marking it held is the first step of the
        report). A proposed one never confirmed did not take place; a reported one has its report (recording
        it is what makes the session reported); a cancelled one owes nothing. There is no grace day: how long
        to wait before nudging someone is a reminder rule's offset, not part of what is owed.
        """
        now = now or timezone.now()
        return self.filter(state__in=Session.AWAITING_REPORT, ends_at__lte=now)


class Session(models.Model):
    """A dissemination session (sosialisasi) an agency holds in a KIM's village, with resource persons."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")
        HELD = "held", _("held")
        REPORTED = "reported", _("reported")
        CANCELLED = "cancelled", _("cancelled")

    # Still a plan: its details and times may move, or it may be called off.
    PLANNED_STATES = (State.PROPOSED, State.CONFIRMED)
    # Taken place, or about to (confirmed): a report is owed once it is over, until it is recorded.
    AWAITING_REPORT = (State.CONFIRMED, State.HELD)
    # Taken place: its report may be recorded, or corrected.
    TAKEN_PLACE = (State.HELD, State.REPORTED)

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
    starts_at = models.DateTimeField(_("starts"), validators=[InDateRange()])
    ends_at = models.DateTimeField(_("ends"), validators=[InDateRange()])
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

    history = HistoricalRecords()

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
            ),
            in_moment_range("starts_at", name="session_starts_in_range"),
            in_moment_range("ends_at", name="session_ends_in_range"),
        ]

    def __str__(self):
        return self.title

    @property
    def topic_name(self) -> str:
        return self.topic.name if self.topic else self.topic_other

    # What the pages ask about a session's state (the services keep their own guards).

    @property
    def is_proposed(self) -> bool:
        return self.state == self.State.PROPOSED

    @property
    def is_confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED

    @property
    def is_held(self) -> bool:
        """Held, its report not recorded yet."""
        return self.state == self.State.HELD

    @property
    def is_reported(self) -> bool:
        return self.state == self.State.REPORTED

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def is_planned(self) -> bool:
        """Proposed or confirmed: it may still change, be rescheduled or be called off."""
        return self.state in self.PLANNED_STATES

    @property
    def has_taken_place(self) -> bool:
        """Held or reported: its report may be recorded or corrected."""
        return self.state in self.TAKEN_PLACE

    @property
    def awaits_report(self) -> bool:
        """Confirmed or held: a report will be owed once it is over (see SessionQuerySet.report_owed)."""
        return self.state in self.AWAITING_REPORT

    @property
    def another_date_asked(self) -> bool:
        """The village answered the proposal by asking for another date; the agency must reschedule."""
        return self.is_proposed and bool(self.date_request)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class SessionEvent(HistoryEvent):
    """A line of a session's history: proposed, confirmed, another date asked, rescheduled, cancelled…"""

    subject_field = "session"

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

    class Meta(HistoryEvent.Meta):
        verbose_name = _("session event")
        verbose_name_plural = _("session events")
        indexes = [models.Index(fields=["session", "-at"])]

    def __str__(self):
        return self.get_kind_display()
