"""The follow-up action list's filters."""

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kim.lib.dates import FIRST_YEAR, LAST_YEAR
from kim.lib.filtersets import ListFilterSet
from outreach.directory.models import Agency
from outreach.reports.models import FollowUp
from outreach.sessions.filters import year_bounds
from villages.filters import home_district_choices


class Progress:
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    NOT_YET_DUE = "not_yet_due"
    OPEN = "open"
    DONE = "done"


PROGRESS_CHOICES = [
    (Progress.ON_TIME, _("Done by the due date")),
    (Progress.LATE, _("Done after the due date")),
    (Progress.OVERDUE, _("Overdue (open, past its due date)")),
    (Progress.NOT_YET_DUE, _("Open, not yet due")),
    (Progress.OPEN, _("Open")),
    (Progress.DONE, _("Done")),
]


def progress_condition(progress: str) -> Q:
    """Which follow-up actions a progress names (today's date for overdue and not yet due)."""
    today = timezone.localdate()
    return {
        Progress.ON_TIME: Q(done_on__lte=F("due_on")),
        Progress.LATE: Q(done_on__gt=F("due_on")),
        Progress.OVERDUE: Q(done_on__isnull=True, due_on__lt=today),
        Progress.NOT_YET_DUE: Q(done_on__isnull=True, due_on__gte=today),
        Progress.OPEN: Q(done_on__isnull=True),
        Progress.DONE: Q(done_on__isnull=False),
    }[progress]


def _agencies() -> list[tuple[int, str]]:
    return list(Agency.objects.order_by("short_name").values_list("id", "short_name"))


class FollowUpFilter(ListFilterSet):
    progress = django_filters.ChoiceFilter(
        choices=PROGRESS_CHOICES, method="filter_progress", label=_("Progress"), empty_label=_("All")
    )
    year = django_filters.NumberFilter(
        method="filter_year", label=_("Year of the session"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    kecamatan = django_filters.ChoiceFilter(
        choices=home_district_choices,
        label=_("Kecamatan"),
        empty_label=_("All kecamatan"),
        field_name="session__kim__village__district_id",
    )
    agency = django_filters.ChoiceFilter(
        choices=_agencies, label=_("Agency"), empty_label=_("All agencies"), field_name="session__agency_id"
    )

    class Meta:
        model = FollowUp
        fields = ["progress", "year", "kecamatan", "agency"]

    # By due date; the id keeps page boundaries stable.
    ordering: tuple[str, ...] = ("due_on", "id")

    def __init__(self, *args, user, **kwargs):
        # An officer sees their agency's follow-ups only, a village head those in their own village.
        pointless = {"agency"} if user.is_opd_officer else {"kecamatan"} if user.is_village_head else set()
        super().__init__(*args, without=pointless, **kwargs)

    def filter_progress(self, queryset, name, value):
        return queryset.filter(progress_condition(value))

    def filter_year(self, queryset, name, value):
        start, end = year_bounds(int(value))
        return queryset.filter(session__starts_at__gte=start, session__starts_at__lt=end)
