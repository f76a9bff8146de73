"""The outbox's filters."""

import datetime as dt

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kim.filtersets import ListFilterSet
from kim.models import Reminder, ReminderRule
from kim.models.reminders import Channel, Trigger

# Far outside these years a date would overflow when turned into a UTC bound.
YEARS = [MinValueValidator(dt.date(2000, 1, 1)), MaxValueValidator(dt.date(2100, 12, 31))]


class DatePicker(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _wib_midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in WIB, as a bound the (state, -due_at) index can serve."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _rules() -> list[tuple[int, str]]:
    return list(ReminderRule.objects.values_list("id", "name"))


class OutboxFilter(ListFilterSet):
    rule = django_filters.ChoiceFilter(
        choices=_rules, label=_("Rule"), empty_label=_("All rules"), field_name="rule_id"
    )
    state = django_filters.ChoiceFilter(
        choices=Reminder.State.choices, label=_("State"), empty_label=_("All states")
    )
    trigger = django_filters.ChoiceFilter(choices=Trigger.choices, label=_("Trigger"), empty_label=_("All"))
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices, label=_("Channel"), empty_label=_("All channels")
    )
    due_from = django_filters.DateFilter(
        method="filter_from", label=_("Due from"), widget=DatePicker, validators=YEARS
    )
    due_to = django_filters.DateFilter(
        method="filter_to", label=_("Due until"), widget=DatePicker, validators=YEARS
    )
    q = django_filters.CharFilter(
        field_name="recipient_name", lookup_expr="icontains", label=_("Recipient"), max_length=100
    )

    class Meta:
        model = Reminder
        fields = ["rule", "state", "trigger", "channel", "due_from", "due_to", "q"]

    def filter_from(self, queryset, name, value):
        return queryset.filter(due_at__gte=_wib_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(due_at__lt=_wib_midnight(value + dt.timedelta(days=1)))
