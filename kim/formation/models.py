import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kim.lib.dates import FIRST_DAY, LAST_DAY, InDateRange, in_date_range
from kim.lib.history import HistoryEvent
from kim.lib.uploads import SCAN_TYPES, FileCheck, PrivatePath, TypedFileField

# The planned briefing's moment within the dates the application accepts, counted in UTC (as in_moment_range).
FIRST_MOMENT = dt.datetime.combine(FIRST_DAY, dt.time.min, tzinfo=dt.UTC)
LAST_MOMENT = dt.datetime.combine(LAST_DAY, dt.time.max, tzinfo=dt.UTC)


class Target(models.Model):
    """A village chosen (sasaran) for KIM formation in a year, with why it was chosen."""

    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="kim_targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("set at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target village")
        verbose_name_plural = _("target villages")
        ordering = ["-year", "village"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="one_target_per_village_year")
        ]

    def __str__(self):
        return f"{self.village} {self.year}"


class Step(models.TextChoices):
    """The formation steps, in the order they are taken."""

    COORDINATION = "coordination", _("Coordination with the village head and existing groups")
    PATH = "path", _("Path chosen")
    MEETING = "meeting", _("Village meeting (musyawarah) and officers elected")
    CONFIRMATION = "confirmation", _("Confirmed by the village head")
    DECREE = "decree", _("Decree (SK) issued")
    BRIEFING = "briefing", _("Briefing (pembekalan) held")
    ACTIVE = "active", _("Active KIM")

    @classmethod
    def ordered(cls) -> list["Step"]:
        return list(cls)

    @property
    def number(self) -> int:
        return Step.ordered().index(self) + 1

    def next(self) -> "Step | None":
        steps = Step.ordered()
        position = steps.index(self)
        return steps[position + 1] if position + 1 < len(steps) else None

    @property
    def fixed_by_confirmation(self) -> bool:
        """The group's path and its officers: once the village head confirms them, they no longer change."""
        return self in (Step.PATH, Step.MEETING)

    @property
    def is_recorded_by_staff(self) -> bool:
        """Staff record (and correct) it on its own page; the village head's confirmation is their answer,
        and the last step is the KIM made active."""
        return self not in (Step.CONFIRMATION, Step.ACTIVE)


class FormationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Staff and leaders read every formation; a village head their own village's."""
        if user.reads_programme:
            return self
        if user.is_village_head:
            return self.filter(target__village_id=user.village_id)
        return self.none()

    def open(self):
        return self.filter(state=Formation.State.OPEN)

    def awaiting_confirmation(self):
        """Open, the village meeting recorded and sent to the village head, who has not answered yet."""
        return self.open().filter(step=Step.MEETING, confirmation=Formation.Confirmation.PENDING)

    def returned(self):
        """Sent back by the village head: staff must correct the meeting and send it again."""
        return self.filter(confirmation=Formation.Confirmation.RETURNED)


class Formation(models.Model):
    """The formation of a KIM in a target village, step by step."""

    class State(models.TextChoices):
        OPEN = "open", _("in progress")
        DONE = "done", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    class Confirmation(models.TextChoices):
        NOT_ASKED = "", _("not asked yet")
        PENDING = "pending", _("awaiting the village head")
        CONFIRMED = "confirmed", _("confirmed")
        RETURNED = "returned", _("returned by the village head")

    class ConfirmationChannel(models.TextChoices):
        BROWSER = "browser", _("in the browser by the village head")
        PAPER = "paper", _("on paper, recorded by staff")

    target = models.OneToOneField(
        Target, verbose_name=_("target"), on_delete=models.PROTECT, related_name="formation"
    )
    kim = models.OneToOneField(
        "kim.Kim",
        verbose_name=_("KIM"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="formation",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    # The last step completed; empty until coordination is recorded.
    step = models.CharField(_("step reached"), max_length=15, choices=Step.choices, blank=True)
    step_changed_at = models.DateTimeField(_("step changed at"), default=timezone.now)
    coordinated_on = models.DateField(
        _("coordination date"), null=True, blank=True, validators=[InDateRange()]
    )
    coordination_notes = models.TextField(_("coordination notes"), blank=True, max_length=4000)
    meeting_on = models.DateField(
        _("village meeting date"), null=True, blank=True, validators=[InDateRange()]
    )
    meeting_notes = models.TextField(_("meeting notes"), blank=True, max_length=4000)
    # What the meeting's minutes (berita acara) name: where it was held, who led it, who wrote it down, how
    # many came. Optional, as meetings recorded before the minutes were written by the system lack them.
    meeting_place = models.CharField(_("meeting place"), max_length=200, blank=True)
    meeting_chair = models.CharField(_("meeting chaired by"), max_length=150, blank=True)
    meeting_note_taker = models.CharField(_("minutes taken by"), max_length=150, blank=True)
    meeting_attendance_men = models.PositiveSmallIntegerField(_("men attending"), null=True, blank=True)
    meeting_attendance_women = models.PositiveSmallIntegerField(_("women attending"), null=True, blank=True)
    confirmation = models.CharField(
        _("confirmation"),
        max_length=10,
        choices=Confirmation.choices,
        blank=True,
        default=Confirmation.NOT_ASKED,
    )
    confirmation_channel = models.CharField(
        _("confirmed"), max_length=10, choices=ConfirmationChannel.choices, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_letter = TypedFileField(
        _("signed confirmation letter (scan)"),
        upload_to=PrivatePath("confirmations"),
        validators=[FileCheck(SCAN_TYPES)],
        blank=True,
        max_length=200,
    )
    returned_reason = models.CharField(_("reason for returning"), max_length=1000, blank=True)
    briefed_on = models.DateField(_("briefing date"), null=True, blank=True, validators=[InDateRange()])
    briefing_notes = models.TextField(_("briefing notes"), blank=True, max_length=4000)
    # The briefing as planned, for its invitation; briefed_on records the day it was actually held.
    briefing_planned_at = models.DateTimeField(
        _("planned briefing"), null=True, blank=True, validators=[InDateRange()]
    )
    briefing_place = models.CharField(_("briefing place"), max_length=200, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = FormationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KIM formation")
        verbose_name_plural = _("KIM formations")
        ordering = ["-target__year", "target__village"]
        indexes = [models.Index(fields=["state", "step"]), models.Index(fields=["state", "step_changed_at"])]
        constraints = [
            in_date_range("coordinated_on", name="formation_coordinated_in_range"),
            in_date_range("meeting_on", name="formation_meeting_in_range"),
            in_date_range("briefed_on", name="formation_briefed_in_range"),
            models.CheckConstraint(
                condition=Q(briefing_planned_at__isnull=True)
                | Q(briefing_planned_at__gte=FIRST_MOMENT, briefing_planned_at__lte=LAST_MOMENT),
                name="formation_briefing_planned_in_range",
            ),
        ]

    def __str__(self):
        return str(self.target)

    @property
    def current_step(self) -> Step | None:
        return Step(self.step) if self.step else None

    @property
    def next_step(self) -> Step | None:
        if not self.is_open:
            return None
        if self.current_step is None:
            return Step.COORDINATION
        if self.current_step == Step.MEETING and not self.is_confirmed:
            return Step.CONFIRMATION
        return self.current_step.next()

    def has_reached(self, step: Step) -> bool:
        return self.current_step is not None and self.current_step.number >= step.number

    # What the pages ask about a formation's state (the services keep their own guards).

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_done(self) -> bool:
        """Completed: the group is an active KIM."""
        return self.state == self.State.DONE

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def awaits_confirmation(self) -> bool:
        """As FormationQuerySet.awaiting_confirmation: open, and the village head has not answered yet."""
        return self.is_open and self.step == Step.MEETING and self.confirmation == self.Confirmation.PENDING

    @property
    def is_confirmed(self) -> bool:
        """The village head confirmed the group (in the browser, or on paper)."""
        return self.confirmation == self.Confirmation.CONFIRMED

    @property
    def is_returned(self) -> bool:
        """The village head sent the group back; it stays so until the meeting is sent again."""
        return self.confirmation == self.Confirmation.RETURNED

    def can_correct(self, step: Step) -> bool:
        """A step staff recorded may be corrected while the formation is open, except the group's path and
        officers once the village head has confirmed them."""
        return (
            self.is_open
            and step.is_recorded_by_staff
            and self.has_reached(step)
            and not (step.fixed_by_confirmation and self.is_confirmed)
        )


class FormationEvent(HistoryEvent):
    """A line of a formation's history: a step done or corrected, a confirmation, a return, a cancellation."""

    subject_field = "formation"

    class Kind(models.TextChoices):
        DONE = "done", _("done")
        CORRECTED = "corrected", _("corrected")
        SUBMITTED = "submitted", _("sent to the village head for confirmation")
        CONFIRMED = "confirmed", _("confirmed by the village head")
        RETURNED = "returned", _("returned by the village head")
        CANCELLED = "cancelled", _("cancelled")

    formation = models.ForeignKey(Formation, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("step"), max_length=15, choices=Step.choices, blank=True)
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("formation event")
        verbose_name_plural = _("formation events")
        indexes = [models.Index(fields=["formation", "-at"])]

    def __str__(self):
        return f"{self.get_step_display()} {self.get_kind_display()}"

    @property
    def names_its_step(self) -> bool:
        """A step done, corrected or where the formation was cancelled: the history line names the step."""
        return self.kind in (self.Kind.DONE, self.Kind.CORRECTED, self.Kind.CANCELLED)
