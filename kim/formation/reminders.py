"""Reminders about forming a KIM: a new group waiting for the village head's confirmation, a step that has not
moved."""

import datetime as dt
from typing import Any

from django.db.models import Max, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kim.formation.models import Formation, FormationEvent
from kim.register.audiences import MENTORS, VILLAGE_HEAD, kim_audiences, mentors
from kim.reminders import recipients, registry
from kim.reminders.messages import day
from kim.reminders.registry import Moment, Recipient

CONFIRMATION_AWAITED = "confirmation_awaited"
FORMATION_STALLED = "formation_stalled"


def _load(ids: list[int]) -> dict[int, Any]:
    submitted = Q(events__kind=FormationEvent.Kind.SUBMITTED)
    formations = Formation.objects.select_related("target__village", "target__created_by", "kim")
    return formations.annotate(submitted_at=Max("events__at", filter=submitted)).in_bulk(ids)


def _mentors(formations: list[Formation]) -> dict[int, list[Recipient]]:
    """A formation's mentors are its group's; before the group has any, the staff member who targeted it."""
    found = mentors({formation.kim_id for formation in formations if formation.kim_id})
    result = {}
    for formation in formations:
        people = found.get(formation.kim_id, []) if formation.kim_id else []
        creator = formation.target.created_by
        if not people and creator is not None and creator.is_active and creator.is_dinkominfo:
            people = [recipients.account(creator)]
        result[formation.pk] = people
    return result


def _page(pk: int) -> tuple[Formation, str]:
    formation = get_object_or_404(Formation.objects.select_related("target__village"), pk=pk)
    title = _("KIM formation in %(village)s, %(year)s") % {
        "village": formation.target.village.name,
        "year": formation.target.year,
    }
    return formation, title


def _titles(ids: list[int]) -> dict[int, str]:
    villages = Formation.objects.filter(pk__in=ids).values_list("pk", "target__village__name")
    return {pk: _("KIM formation in %(village)s") % {"village": village} for pk, village in villages}


registry.register_kind(
    registry.SubjectKind(
        name="formation",
        model=Formation,
        load=_load,
        audiences={**kim_audiences(lambda formation: formation.kim), MENTORS: _mentors},
        page=registry.Page(
            url_name="formation:detail",
            label=gettext_lazy("Formation #%(pk)s"),
            get=_page,
            titles=_titles,
        ),
    )
)


def _confirmation_moment(formation, now: dt.datetime) -> Moment | None:
    if not formation.awaits_confirmation or formation.submitted_at is None:
        return None
    return Moment.of(formation.submitted_at)


def _confirmation_message(row, formation: Formation) -> tuple[str, str, str]:
    village = formation.target.village.name
    title = _("Please confirm the KIM of Desa %(village)s") % {"village": village}
    body = _(
        "%(kim)s and its officers, chosen at the village meeting, wait for your confirmation. Open the link "
        "to confirm them or send them back with a reason."
    ) % {"kim": formation.kim.name if formation.kim else village}
    return title, body, reverse("formation:detail", args=[formation.pk])


registry.register_trigger(
    registry.Trigger(
        value=CONFIRMATION_AWAITED,
        label=gettext_lazy("A new group waits for the village head's confirmation"),
        kind="formation",
        audiences=(VILLAGE_HEAD,),
        moment=_confirmation_moment,
        compose=_confirmation_message,
        open_subject_ids=lambda: Formation.objects.awaiting_confirmation().values_list("pk", flat=True),
        repeatable=True,
    )
)


def _stalled_moment(formation: Formation, now: dt.datetime) -> Moment | None:
    if not formation.is_open:
        return None
    return Moment.of(formation.step_changed_at)


def _stalled_message(row, formation: Formation) -> tuple[str, str, str]:
    values = {
        "village": formation.target.village.name,
        "step": formation.get_step_display(),
        "day": day(timezone.localdate(formation.step_changed_at)),
    }
    title = _("KIM formation in Desa %(village)s has not moved") % values
    body = _("The last step (%(step)s) was recorded on %(day)s.") % values
    return title, body, reverse("formation:detail", args=[formation.pk])


registry.register_trigger(
    registry.Trigger(
        value=FORMATION_STALLED,
        label=gettext_lazy("A formation step has not moved"),
        kind="formation",
        audiences=(MENTORS,),
        moment=_stalled_moment,
        compose=_stalled_message,
        open_subject_ids=lambda: Formation.objects.open().values_list("pk", flat=True),
        repeatable=True,
    )
)
