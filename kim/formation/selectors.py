from django.conf import settings
from django.shortcuts import get_object_or_404

from kim.formation.models import Formation, FormationEvent, Step, Target
from kim.formation.services import target_candidates
from kim.register.models import Member


def get_formation_for_user(user, formation_id: int) -> Formation:
    """Staff reach every formation; a village head only their own village's (404 for any other)."""
    formations = Formation.objects.for_user(user).select_related(
        "target__village__district", "kim__community_group", "confirmed_by"
    )
    return get_object_or_404(formations, pk=formation_id)


def formation_detail(formation: Formation) -> dict:
    officers = Member.objects.filter(kim=formation.kim).by_rank() if formation.kim else []
    events = FormationEvent.objects.filter(formation=formation).select_related("actor")
    steps = [
        {"step": step, "done": formation.has_reached(step), "next": formation.next_step == step}
        for step in Step.ordered()
    ]
    return {"formation": formation, "officers": officers, "events": events, "steps": steps}


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


def formations_for(user, *, year: int | None = None, step: str = ""):
    formations = (
        Formation.objects.for_user(user)
        .select_related("target__village__district", "kim")
        .order_by("-target__year", "target__village__code")
    )
    if year:
        formations = formations.filter(target__year=year)
    if step == "cancelled":
        formations = formations.filter(state=Formation.State.CANCELLED)
    elif step == "none":
        formations = formations.filter(step="", state=Formation.State.OPEN)
    elif step:
        formations = formations.filter(step=step)
    return formations
