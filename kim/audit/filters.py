import datetime as dt

import django_filters
from django import forms
from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kim.accounts.models import User
from kim.audit.models import Change
from kim.lib.filtersets import FILTER_YEARS, DatePicker, ListFilterSet, wib_midnight


def tracked_models() -> list:
    """Every model with an audit trail: those django-simple-history keeps a `history` for."""
    return [model for model in apps.get_models() if hasattr(model._meta, "simple_history_manager_attribute")]


def _subjects() -> list[tuple[str, str]]:
    choices = [
        (model._meta.label_lower, capfirst(model._meta.verbose_name_plural)) for model in tracked_models()
    ]
    return sorted(choices, key=lambda choice: str(choice[1]))


def _people() -> list[tuple[int, str]]:
    return [(user.pk, str(user)) for user in User.objects.only("username", "first_name", "last_name")]


class ChangeFilter(ListFilterSet):
    actor = django_filters.ChoiceFilter(
        choices=_people, label=_("By"), empty_label=_("Everyone"), field_name="actor_id"
    )
    subject = django_filters.ChoiceFilter(
        choices=_subjects, label=_("Kind of object"), empty_label=_("All"), method="filter_subject"
    )
    # Set by an object's "History" link, which names the object in the heading.
    object = django_filters.CharFilter(field_name="subject_id", widget=forms.HiddenInput, max_length=64)
    kind = django_filters.ChoiceFilter(choices=Change.Kind.choices, label=_("Change"), empty_label=_("All"))
    date_from = django_filters.DateFilter(
        method="filter_from", label=_("From"), widget=DatePicker, validators=FILTER_YEARS
    )
    date_to = django_filters.DateFilter(
        method="filter_to", label=_("Until"), widget=DatePicker, validators=FILTER_YEARS
    )

    class Meta:
        model = Change
        fields = ["actor", "subject", "object", "kind", "date_from", "date_to"]

    def filter_subject(self, queryset, name, value):
        app_label, _dot, model = value.partition(".")
        return queryset.filter(subject_type__app_label=app_label, subject_type__model=model)

    def filter_from(self, queryset, name, value):
        return queryset.filter(at__gte=wib_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(at__lt=wib_midnight(value + dt.timedelta(days=1)))
