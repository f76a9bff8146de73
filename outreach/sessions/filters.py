"""The session list's filters."""

import datetime as dt

import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kim.lib.filtersets import FILTER_YEARS, DatePicker, ListFilterSet, wib_midnight
from outreach.directory.models import Agency, Topic
from outreach.sessions.models import Session
from villages.models import District


def _agencies() -> list[tuple[int, str]]:
    return list(Agency.objects.order_by("short_name").values_list("id", "short_name"))


def _home_districts() -> list[tuple[str, str]]:
    districts = District.objects.filter(regency_id=settings.KIM_REGENCY_CODE).order_by("name")
    return list(districts.values_list("code", "name"))


def _topics() -> list[tuple[int, str]]:
    return list(Topic.objects.order_by("name").values_list("id", "name"))


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
        choices=_topics, label=_("Topic"), empty_label=_("All topics"), field_name="topic_id"
    )
    state = django_filters.ChoiceFilter(choices=Session.State.choices, label=_("State"), empty_label=_("All"))
    date_from = django_filters.DateFilter(
        method="filter_from", label=_("From"), widget=DatePicker, validators=FILTER_YEARS
    )
    date_to = django_filters.DateFilter(
        method="filter_to", label=_("Until"), widget=DatePicker, validators=FILTER_YEARS
    )

    class Meta:
        model = Session
        fields = ["agency", "kecamatan", "topic", "state", "date_from", "date_to"]

    # Latest first: what is coming up, then what has just passed. The id keeps page boundaries stable.
    ordering: tuple[str, ...] = ("-starts_at", "-id")

    def __init__(self, *args, user, **kwargs):
        # A filter that cannot narrow the user's scope is left out: an officer sees their agency's sessions
        # only, a village head those in their own village.
        pointless = {"agency"} if user.is_opd_officer else {"kecamatan"} if user.is_village_head else set()
        super().__init__(*args, without=pointless, **kwargs)

    def filter_from(self, queryset, name, value):
        return queryset.filter(starts_at__gte=wib_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(starts_at__lt=wib_midnight(value + dt.timedelta(days=1)))
