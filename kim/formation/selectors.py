from django.conf import settings
from django.shortcuts import get_object_or_404

from kim.formation.models import Formation, FormationEvent, Step, Target
from kim.formation.services import target_candidates
from kim.register.models import Member


def formations_readable_by(user):
    """The formations whose page this person may open, with what the page (and its documents) read of each:
    staff and leaders every one, a village head their own village's."""
    return Formation.objects.for_user(user).select_related(
        "target__village__district", "kim__community_group", "confirmed_by"
    )


def get_formation_for_user(user, formation_id: int) -> Formation:
    """Staff reach every formation; a village head only their own village's (404 for any other)."""
    return get_object_or_404(formations_readable_by(user), pk=formation_id)


def meeting_officers(formation: Formation) -> list[Member]:
    """The officers the village meeting elected (their term starts on its day), ketua first; read once per
    formation object, as the documents panel asks each kind in turn."""
    cached = getattr(formation, "_meeting_officers", None)
    if cached is None:
        cached = (
            list(Member.objects.filter(kim=formation.kim, term_start=formation.meeting_on).by_rank())
            if formation.kim_id and formation.meeting_on
            else []
        )
        formation._meeting_officers = cached  # type: ignore[attr-defined]
    return cached


def formation_detail(formation: Formation) -> dict:
    officers = list(Member.objects.filter(kim=formation.kim).by_rank()) if formation.kim else []
    # The documents panel reads the meeting's officers among them, instead of asking the database again.
    formation._meeting_officers = [  # type: ignore[attr-defined]
        officer for officer in officers if formation.meeting_on and officer.term_start == formation.meeting_on
    ]
    events = FormationEvent.objects.filter(formation=formation).select_related("actor")
    steps = [_step_line(formation, step) for step in Step.ordered()]
    return {"formation": formation, "officers": officers, "events": events, "steps": steps}


def _step_line(formation: Formation, step: Step) -> dict:
    """A line of the steps list: done or next, and what staff may do there (at most one thing)."""
    is_next = formation.next_step == step
    return {
        "step": step,
        "done": formation.has_reached(step),
        "next": is_next,
        "can_activate": is_next and step == Step.ACTIVE,
        "can_confirm_on_paper": is_next and step == Step.CONFIRMATION and formation.awaits_confirmation,
        "can_record": is_next and step.is_recorded_by_staff,
        "can_correct": formation.can_correct(step),
    }


def targets_page(year: int) -> dict:
    targets = (
        Target.objects.filter(year=year)
        .select_related("village__district", "formation__kim", "created_by")
        .order_by("village__code")
    )
    return {
        "targets": targets,
        "candidates": target_candidates(year=year),
        "host": settings.KIM_HOST_AGENCY_SHORT_NAME,
    }


def formations_for(user):
    """The formations the user may see, newest year first, with what the list shows of each; the list's
    FormationFilter (kim/formation/filters.py) narrows them."""
    return (
        Formation.objects.for_user(user)
        .select_related("target__village__district", "kim")
        .order_by("-target__year", "target__village__code")
    )
