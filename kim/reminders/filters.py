"""The outbox's filters."""

import datetime as dt

import django_filters
from django.utils.translation import gettext_lazy as _

from kim.lib.filtersets import FILTER_YEARS, DatePicker, ListFilterSet, wib_midnight
from kim.reminders import registry
from kim.reminders.models import Channel, Reminder, ReminderRule


def _rules() -> list[tuple[int, str]]:
    return list(ReminderRule.objects.values_list("id", "name"))


class OutboxFilter(ListFilterSet):
    rule = django_filters.ChoiceFilter(
        choices=_rules, label=_("Rule"), empty_label=_("All rules"), field_name="rule_id"
    )
    state = django_filters.ChoiceFilter(
        choices=Reminder.State.choices, label=_("State"), empty_label=_("All states")
    )
    trigger = django_filters.ChoiceFilter(
        choices=registry.trigger_choices, label=_("Trigger"), empty_label=_("All")
    )
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices, label=_("Channel"), empty_label=_("All channels")
    )
    due_from = django_filters.DateFilter(
        method="filter_from", label=_("Due from"), widget=DatePicker, validators=FILTER_YEARS
    )
    due_to = django_filters.DateFilter(
        method="filter_to", label=_("Due until"), widget=DatePicker, validators=FILTER_YEARS
    )
    q = django_filters.CharFilter(
        field_name="recipient_name", lookup_expr="icontains", label=_("Recipient"), max_length=100
    )

    class Meta:
        model = Reminder
        fields = ["rule", "state", "trigger", "channel", "due_from", "due_to", "q"]

    def filter_from(self, queryset, name, value):
        return queryset.filter(due_at__gte=wib_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(due_at__lt=wib_midnight(value + dt.timedelta(days=1)))
