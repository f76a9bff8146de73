import django_filters
from django.utils.translation import gettext_lazy as _

from kim.lib.filtersets import ListFilterSet
from outreach.directory.models import Agency, Topic
from outreach.sessions.models import Session
from villages.filters import home_district_choices


def _agencies():
    return list(Agency.objects.filter(is_active=True).values_list("id", "short_name"))


def _topics():
    return list(Topic.objects.values_list("id", "name"))


class CalendarFilter(ListFilterSet):
    agency = django_filters.ChoiceFilter(
        choices=_agencies, field_name="agency_id", label=_("Agency"), empty_label=_("Any agency")
    )
    kecamatan = django_filters.ChoiceFilter(
        choices=home_district_choices,
        field_name="kim__village__district_id",
        label=_("Kecamatan"),
        empty_label=_("All kecamatan"),
    )
    topic = django_filters.ChoiceFilter(
        choices=_topics, field_name="topic_id", label=_("Topic"), empty_label=_("All")
    )
    kim = django_filters.NumberFilter(field_name="kim_id", label=_("KIM"))

    class Meta:
        model = Session
        fields = ["agency", "kecamatan", "topic", "kim"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["kim"].widget.input_type = "hidden"
        # A number field's `step`, which the HTML standard forbids on a hidden input.
        self.form.fields["kim"].widget.attrs.pop("step", None)
