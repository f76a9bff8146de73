"""The yearly targets and the formation of a KIM, step by step. Every write leaves a FormationEvent."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from kim import reminders
from kim.formation.models import Formation, FormationEvent, Step, Target
from kim.register.models import Kim, Member
from villages.models import CommunityGroup, Village, VillageYear

Event = FormationEvent.Kind


@dataclass(frozen=True)
class Candidate:
    """A village suggested as a target, with its priority (lower first) and why."""

    village: Village
    priority: int
    reason: str
    mentor: str


def target_candidates(*, year: int) -> list[Candidate]:
    """The year's zona merah villages without a KIM and not yet targeted: the host agency's own desa binaan
    first, then other agencies' binaan, then the rest of the red zone."""
    has_kim = Exists(Kim.objects.exclude(status=Kim.Status.INACTIVE).filter(village=OuterRef("village")))
    targeted = Exists(Target.objects.filter(village=OuterRef("village"), year=year))
    rows = (
        VillageYear.objects.red_zone()
        .filter(year=year)
        .exclude(has_kim)
        .exclude(targeted)
        .select_related("village__district", "mentor_agency")
        .order_by("village__code")
    )
    host = settings.KIM_HOST_AGENCY_SHORT_NAME
    candidates = []
    for row in rows:
        mentor = row.mentor_agency.short_name if row.mentor_agency else ""
        if mentor == host:
            priority, reason = (
                0,
                _("Zona merah %(year)s, desa binaan of %(agency)s, no KIM")
                % {"year": year, "agency": mentor},
            )
        elif mentor:
            priority, reason = (
                1,
                _("Zona merah %(year)s, desa binaan of %(agency)s, no KIM")
                % {"year": year, "agency": mentor},
            )
        else:
            priority, reason = 2, _("Zona merah %(year)s, no KIM") % {"year": year}
        candidates.append(Candidate(village=row.village, priority=priority, reason=reason, mentor=mentor))
    return sorted(candidates, key=lambda candidate: (candidate.priority, candidate.village.code))


@transaction.atomic
def target_set(
    *, year: int, villages: list[Village], actor, reasons: dict[str, str] | None = None
) -> list[Target]:
    """Target the villages for the year, each with an open formation; villages already targeted are skipped."""
    reasons = reasons or {}
    existing = set(
        Target.objects.filter(year=year, village__in=villages).values_list("village_id", flat=True)
    )
    created = []
    for village in villages:
        if village.pk in existing:
            continue
        target = Target.objects.create(
            village=village, year=year, reason=reasons.get(village.pk, "")[:300], created_by=actor
        )
        reminders.plan(Formation.objects.create(target=target))
        created.append(target)
    return created


def _lock(formation: Formation) -> Formation:
    """Re-read the formation under a row lock, so that two people acting at once take turns."""
    return (
        Formation.objects.select_for_update(of=("self",))
        .select_related("target__village", "kim")
        .get(pk=formation.pk)
    )


def _require_open(formation: Formation) -> None:
    if formation.state != Formation.State.OPEN:
        raise ValidationError(
            _("This formation is %(state)s; it can no longer change.")
            % {"state": formation.get_state_display()}
        )


def _require_reached(formation: Formation, step: Step) -> None:
    if not formation.has_reached(step):
        raise ValidationError(_("Record the step “%(step)s” first.") % {"step": step.label})


def _require_unconfirmed(formation: Formation) -> None:
    if formation.confirmation == Formation.Confirmation.CONFIRMED:
        raise ValidationError(
            _("The village head has confirmed the group; its path and officers can no longer change here.")
        )


def _kim_of(formation: Formation) -> Kim:
    """The group being formed; it exists once the path is chosen."""
    if formation.kim is None:
        raise ValidationError(_("Record the step “%(step)s” first.") % {"step": Step.PATH.label})
    return formation.kim


def _advance(formation: Formation, step: Step, actor, notes: str = "") -> None:
    """Mark `step` done, or corrected if it was done before."""
    if formation.has_reached(step):
        FormationEvent.record(formation, actor=actor, step=step, kind=Event.CORRECTED, notes=notes)
        return
    formation.step = step
    formation.step_changed_at = timezone.now()
    FormationEvent.record(formation, actor=actor, step=step, kind=Event.DONE, notes=notes)


@transaction.atomic
def formation_record_coordination(
    *, formation: Formation, actor, coordinated_on: date, notes: str
) -> Formation:
    formation = _lock(formation)
    _require_open(formation)
    formation.coordinated_on, formation.coordination_notes = coordinated_on, notes
    _advance(formation, Step.COORDINATION, actor)
    formation.save()
    reminders.plan(formation)
    return formation


@transaction.atomic
def formation_choose_path(
    *, formation: Formation, actor, origin: str, community_group: CommunityGroup | None, name: str
) -> Formation:
    """An existing community group takes on the information work, or a new group is formed; either way
    the KIM exists from here on, being formed, under its proposed name."""
    formation = _lock(formation)
    _require_open(formation)
    _require_reached(formation, Step.COORDINATION)
    _require_unconfirmed(formation)
    village = formation.target.village
    if origin == Kim.Origin.ADOPTED and (community_group is None or community_group.village_id != village.pk):
        raise ValidationError(_("Choose one of this village's community groups."))
    kim = formation.kim or Kim(village=village, status=Kim.Status.FORMING)
    kim.name, kim.origin = name, origin
    kim.community_group = community_group if origin == Kim.Origin.ADOPTED else None
    kim.save()
    formation.kim = kim
    _advance(formation, Step.PATH, actor, f"{kim.name} ({kim.get_origin_display()})")
    formation.save()
    reminders.plan(formation)
    return formation


@dataclass(frozen=True)
class MeetingMinutes:
    """What the meeting's berita acara prints beyond its date: optional, each missing one is named there."""

    place: str = ""
    chair: str = ""
    note_taker: str = ""
    men: int | None = None
    women: int | None = None


@transaction.atomic
def formation_record_meeting(
    *,
    formation: Formation,
    actor,
    meeting_on: date,
    notes: str,
    officers: list[dict],
    minutes: MeetingMinutes | None = None,
) -> Formation:
    """The village meeting and the officers it elected; the formation then waits for the village head.

    Officers replace any recorded before (the group is not confirmed yet, so nothing of its history is lost).
    """
    minutes = minutes or MeetingMinutes()
    formation = _lock(formation)
    _require_open(formation)
    _require_reached(formation, Step.PATH)
    _require_unconfirmed(formation)
    if sum(1 for officer in officers if officer["position"] == Member.Position.KETUA) != 1:
        raise ValidationError(_("Exactly one officer must be the ketua."))
    kim = _kim_of(formation)
    kim.members.all().delete()
    # One by one, not bulk_create: each officer's creation is on the audit trail (kim.audit).
    for officer in officers:
        Member.objects.create(kim=kim, term_start=meeting_on, **officer)
    formation.meeting_on, formation.meeting_notes = meeting_on, notes
    formation.meeting_place, formation.meeting_chair = minutes.place, minutes.chair
    formation.meeting_note_taker = minutes.note_taker
    formation.meeting_attendance_men, formation.meeting_attendance_women = minutes.men, minutes.women
    _advance(formation, Step.MEETING, actor)
    formation.confirmation, formation.returned_reason = Formation.Confirmation.PENDING, ""
    FormationEvent.record(formation, actor=actor, step=Step.CONFIRMATION, kind=Event.SUBMITTED)
    formation.save()
    reminders.plan(formation)
    return formation


def _confirm(formation: Formation, actor, channel: str, notes: str = "") -> None:
    formation.confirmation = Formation.Confirmation.CONFIRMED
    formation.confirmation_channel = channel
    formation.confirmed_by, formation.confirmed_at = actor, timezone.now()
    formation.step, formation.step_changed_at = Step.CONFIRMATION, timezone.now()
    FormationEvent.record(formation, actor=actor, step=Step.CONFIRMATION, kind=Event.CONFIRMED, notes=notes)


@transaction.atomic
def formation_confirm(*, formation: Formation, head) -> bool:
    """The village head confirms in the browser. False, and no change, unless it was waiting for them
    (a second click, or a confirmation racing a return, changes nothing)."""
    formation = _lock(formation)
    if formation.state != Formation.State.OPEN or formation.confirmation != Formation.Confirmation.PENDING:
        return False
    _confirm(formation, head, Formation.ConfirmationChannel.BROWSER)
    formation.save()
    reminders.plan(formation)
    return True


@transaction.atomic
def formation_return(*, formation: Formation, head, reason: str) -> bool:
    """The village head sends the group back with a reason; staff correct the meeting and send it again."""
    formation = _lock(formation)
    if formation.state != Formation.State.OPEN or formation.confirmation != Formation.Confirmation.PENDING:
        return False
    formation.confirmation, formation.returned_reason = Formation.Confirmation.RETURNED, reason
    FormationEvent.record(formation, actor=head, step=Step.CONFIRMATION, kind=Event.RETURNED, notes=reason)
    formation.save()
    reminders.plan(formation)
    return True


@transaction.atomic
def formation_record_paper_confirmation(*, formation: Formation, actor, letter) -> Formation:
    """Staff record a confirmation the village head gave on paper, with the scanned letter."""
    formation = _lock(formation)
    _require_open(formation)
    if formation.confirmation != Formation.Confirmation.PENDING:
        raise ValidationError(_("This formation is not waiting for the village head's confirmation."))
    formation.confirmation_letter = letter
    _confirm(formation, actor, Formation.ConfirmationChannel.PAPER, _("confirmation letter on paper"))
    formation.save()
    reminders.plan(formation)
    return formation


@transaction.atomic
def formation_record_decree(
    *, formation: Formation, actor, sk_issuer: str, sk_number: str, sk_date: date, sk_file=None
) -> Formation:
    formation = _lock(formation)
    _require_open(formation)
    _require_reached(formation, Step.CONFIRMATION)
    kim = _kim_of(formation)
    kim.sk_issuer, kim.sk_number, kim.sk_date = sk_issuer, sk_number, sk_date
    if sk_file:
        kim.sk_file = sk_file
    if not kim.sk_file:
        raise ValidationError(_("Upload the scanned decree (PDF)."))
    kim.save()
    _advance(formation, Step.DECREE, actor, sk_number)
    formation.save()
    reminders.plan(formation)
    return formation


@transaction.atomic
def formation_record_briefing(*, formation: Formation, actor, briefed_on: date, notes: str) -> Formation:
    formation = _lock(formation)
    _require_open(formation)
    _require_reached(formation, Step.DECREE)
    formation.briefed_on, formation.briefing_notes = briefed_on, notes
    _advance(formation, Step.BRIEFING, actor)
    formation.save()
    reminders.plan(formation)
    return formation


@transaction.atomic
def formation_plan_briefing(*, formation: Formation, actor, planned_at: datetime, place: str) -> Formation:
    """When and where the briefing is to be held, for its invitation; briefed_on later records the day it
    was held. Planning is no step of its own: the change is kept in the formation's history (audit trail)."""
    formation = _lock(formation)
    _require_open(formation)
    _require_reached(formation, Step.MEETING)
    if formation.meeting_on and timezone.localdate(planned_at) < formation.meeting_on:
        raise ValidationError(_("The briefing comes after the village meeting."))
    formation.briefing_planned_at, formation.briefing_place = planned_at, place
    formation.save(update_fields=["briefing_planned_at", "briefing_place"])
    return formation


@transaction.atomic
def formation_activate(*, formation: Formation, actor) -> Formation:
    """The briefed group is an active KIM, founded on its decree's date; the formation is complete."""
    formation = _lock(formation)
    _require_open(formation)
    _require_reached(formation, Step.BRIEFING)
    kim = _kim_of(formation)
    kim.status = Kim.Status.ACTIVE
    kim.founded_on = kim.founded_on or kim.sk_date or formation.meeting_on
    kim.save()
    _advance(formation, Step.ACTIVE, actor)
    formation.state = Formation.State.DONE
    formation.save()
    reminders.plan(formation, kim, *kim.members.current())
    return formation


@transaction.atomic
def formation_cancel(*, formation: Formation, actor, reason: str) -> Formation:
    """Stop a formation; a group still being formed is removed with it (the events keep its story)."""
    formation = _lock(formation)
    _require_open(formation)
    formation.state, formation.cancelled_reason = Formation.State.CANCELLED, reason
    kim, formation.kim = formation.kim, None
    FormationEvent.record(formation, actor=actor, step=formation.step, kind=Event.CANCELLED, notes=reason)
    formation.save()
    reminders.plan(formation)
    if kim is not None and kim.status == Kim.Status.FORMING:
        kim.delete()
    return formation


@transaction.atomic
def kim_record_existing(*, kim: Kim, officers: list[dict], actor) -> Kim:
    """Register a KIM formed before this system (such as the twelve formed before 2019), in one go."""
    if Kim.objects.filter(village=kim.village).exclude(status=Kim.Status.INACTIVE).exists():
        raise ValidationError(_("This village already has a KIM."))
    kim.save()
    for officer in officers:  # one by one, for the audit trail, as above
        Member.objects.create(kim=kim, term_start=kim.founded_on, **officer)
    reminders.plan(kim, *kim.members.all())
    return kim
