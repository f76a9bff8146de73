"""The resource persons directory's filters."""

import django_filters
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kim.lib.filtersets import ListFilterSet
from outreach.directory.models import Agency, ResourcePerson, Topic

NO_AGENCY = "none"


def _agency_choices() -> list[tuple[str, str]]:
    agencies = Agency.objects.order_by("short_name").values_list("pk", "short_name")
    return [(NO_AGENCY, str(_("Other sectors (no agency)"))), *((str(pk), name) for pk, name in agencies)]


def _topic_choices() -> list[tuple[int, str]]:
    return list(Topic.objects.order_by("name").values_list("pk", "name"))


class ResourcePersonFilter(ListFilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Name"), max_length=100)
    agency = django_filters.ChoiceFilter(
        choices=_agency_choices, method="filter_agency", label=_("Agency"), empty_label=_("All agencies")
    )
    topic = django_filters.ChoiceFilter(
        choices=_topic_choices, method="filter_topic", label=_("Topic"), empty_label=_("All topics")
    )

    class Meta:
        model = ResourcePerson
        fields = ["q", "agency", "topic"]

    # By name whatever the case and the database's collation ("dr. Ani" among the A's); the id keeps
    # namesakes in a stable order from page to page.
    ordering = (Lower("name"), "pk")

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset

    def filter_agency(self, queryset, name, value):
        if value == NO_AGENCY:
            return queryset.filter(agency__isnull=True)
        return queryset.filter(agency_id=value)

    def filter_topic(self, queryset, name, value):
        # EXISTS rather than a join, so that a person is listed once whatever else matches.
        links = ResourcePerson.topics.through.objects.filter(resourceperson_id=OuterRef("pk"), topic_id=value)
        return queryset.filter(Exists(links))
