"""The session list's filters."""

import datetime as dt

import django_filters
from django.conf import settings
from django.db.models import Q
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kim.lib.dates import FIRST_YEAR, LAST_YEAR
from kim.lib.filtersets import FILTER_YEARS, DatePicker, ListFilterSet, wib_midnight
from outreach.directory.models import Agency, Topic
from outreach.sessions.models import Session
from villages.models import District


def _agencies() -> list[tuple[int, str]]:
    return list(Agency.objects.order_by("short_name").values_list("id", "short_name"))


def _home_districts() -> list[tuple[str, str]]:
    districts = District.objects.filter(regency_id=settings.KIM_REGENCY_CODE).order_by("name")
    return list(districts.values_list("code", "name"))


# The topic filter's choice for sessions with a topic of their own (no topic from the list).
OTHER_TOPIC = "other"
YES_NO = (("yes", _("Yes")), ("no", _("No")))


def _topics() -> list[tuple[int | str, str | Promise]]:
    return [*Topic.objects.order_by("name").values_list("id", "name"), (OTHER_TOPIC, _("Other topic"))]


def _months() -> list[tuple[int, str]]:
    return [(month, formats.date_format(dt.date(2000, month, 1), "F")) for month in range(1, 13)]


def year_bounds(year: int, month: int | None = None) -> tuple[dt.datetime, dt.datetime]:
    """A year (or one of its months) in WIB, as bounds [start, end) an index on a timestamp can serve."""
    if month is None:
        return wib_midnight(dt.date(year, 1, 1)), wib_midnight(dt.date(year + 1, 1, 1))
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return wib_midnight(dt.date(year, month, 1)), wib_midnight(following)


class SessionFilter(ListFilterSet):
    agency = django_filters.ChoiceFilter(
        choices=_agencies, label=_("Agency"), empty_label=_("All agencies"), field_name="agency_id"
    )
    kecamatan = django_filters.ChoiceFilter(
        choices=_home_districts,
        label=_("Kecamatan"),
        empty_label=_("All kecamatan"),
        field_name="kim__village__district_id",
    )
    topic = django_filters.ChoiceFilter(
        choices=_topics, method="filter_topic", label=_("Topic"), empty_label=_("All topics")
    )
    state = django_filters.ChoiceFilter(choices=Session.State.choices, label=_("State"), empty_label=_("All"))
    cancelled = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_cancelled", label=_("Cancelled"), empty_label=_("All")
    )
    report_owed = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_report_owed", label=_("Report owed"), empty_label=_("All")
    )
    year = django_filters.NumberFilter(
        method="filter_year", label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    month = django_filters.ChoiceFilter(
        choices=_months, method="filter_nothing", label=_("Month"), empty_label=_("All months")
    )
    date_from = django_filters.DateFilter(
        method="filter_from", label=_("From"), widget=DatePicker, validators=FILTER_YEARS
    )
    date_to = django_filters.DateFilter(
        method="filter_to", label=_("Until"), widget=DatePicker, validators=FILTER_YEARS
    )

    class Meta:
        model = Session
        fields = [
            "agency",
            "kecamatan",
            "topic",
            "state",
            "cancelled",
            "report_owed",
            "year",
            "month",
            "date_from",
            "date_to",
        ]

    # Latest first: what is coming up, then what has just passed. The id keeps page boundaries stable.
    ordering: tuple[str, ...] = ("-starts_at", "-id")

    def __init__(self, *args, user, **kwargs):
        # A filter that cannot narrow the user's scope is left out: an officer sees their agency's sessions
        # only, a village head those in their own village.
        pointless = {"agency"} if user.is_opd_officer else {"kecamatan"} if user.is_village_head else set()
        super().__init__(*args, without=pointless, **kwargs)

    def filter_topic(self, queryset, name, value):
        return (
            queryset.filter(topic__isnull=True) if value == OTHER_TOPIC else queryset.filter(topic_id=value)
        )

    def filter_cancelled(self, queryset, name, value):
        cancelled = Q(state=Session.State.CANCELLED)
        return queryset.filter(cancelled) if value == "yes" else queryset.exclude(cancelled)

    def filter_report_owed(self, queryset, name, value):
        owed = Session.objects.report_owed().values("pk")
        return queryset.filter(pk__in=owed) if value == "yes" else queryset.exclude(pk__in=owed)

    def filter_nothing(self, queryset, name, value):
        return queryset  # the month is read with the year

    def filter_year(self, queryset, name, value):
        month = self.form.cleaned_data.get("month")
        start, end = year_bounds(int(value), int(month) if month else None)
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)

    def filter_from(self, queryset, name, value):
        return queryset.filter(starts_at__gte=wib_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(starts_at__lt=wib_midnight(value + dt.timedelta(days=1)))
