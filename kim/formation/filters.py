"""The formation list's filters: the list page, its downloads and the dashboard's links read them."""

import datetime as dt

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kim.formation.models import Formation, Step
from kim.lib.dates import FIRST_YEAR, LAST_YEAR
from kim.lib.filtersets import ListFilterSet
from villages.filters import YES_NO, home_district_choices

# An open formation whose step has not changed for this many days is stuck.
STUCK_AFTER_DAYS = 30

NOTHING_YET, CANCELLED = "none", "cancelled"


def stuck_since(now: dt.datetime | None = None) -> dt.datetime:
    """An open formation whose step last changed before this moment is stuck."""
    return (now or timezone.now()) - dt.timedelta(days=STUCK_AFTER_DAYS)


def step_choices() -> list[tuple[str, str]]:
    return [
        (NOTHING_YET, str(_("Targeted, nothing recorded yet"))),
        *((value, str(label)) for value, label in Step.choices),
        (CANCELLED, str(_("Cancelled"))),
    ]


class FormationFilter(ListFilterSet):
    year = django_filters.NumberFilter(
        field_name="target__year", label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    kecamatan = django_filters.ChoiceFilter(
        choices=home_district_choices,
        label=_("Kecamatan"),
        empty_label=_("All kecamatan"),
        field_name="target__village__district_id",
    )
    step = django_filters.ChoiceFilter(
        choices=step_choices, method="filter_step", label=_("Step reached"), empty_label=_("All")
    )
    awaiting = django_filters.ChoiceFilter(
        choices=YES_NO,
        method="filter_awaiting",
        label=_("Waiting for the village head"),
        empty_label=_("All"),
    )
    stuck = django_filters.ChoiceFilter(
        choices=YES_NO,
        method="filter_stuck",
        label=_("No step for %(days)d days") % {"days": STUCK_AFTER_DAYS},
        empty_label=_("All"),
    )

    class Meta:
        model = Formation
        fields = ["year", "kecamatan", "step", "awaiting", "stuck"]

    def __init__(self, *args, user, **kwargs):
        # A village head's formations are all in their own kecamatan.
        super().__init__(*args, without={"kecamatan"} if user.is_village_head else (), **kwargs)

    def filter_step(self, queryset, name, value):
        """The step a formation reached, cancelled ones apart (each counted once, as the dashboard does)."""
        if value == CANCELLED:
            return queryset.filter(state=Formation.State.CANCELLED)
        if value == NOTHING_YET:
            return queryset.open().filter(step="")
        return queryset.exclude(state=Formation.State.CANCELLED).filter(step=value)

    def filter_awaiting(self, queryset, name, value):
        waiting = Formation.objects.awaiting_confirmation().values("pk")
        return queryset.filter(pk__in=waiting) if value == "yes" else queryset.exclude(pk__in=waiting)

    def filter_stuck(self, queryset, name, value):
        stuck = Formation.objects.open().filter(step_changed_at__lt=stuck_since()).values("pk")
        return queryset.filter(pk__in=stuck) if value == "yes" else queryset.exclude(pk__in=stuck)
