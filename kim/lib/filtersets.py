import datetime as dt
import functools
from collections.abc import Collection

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from kim.lib.dates import FIRST_DAY, LAST_DAY
from kim.lib.widgets import quicken

# Date filters accept the application's years; far outside them a date would overflow as a UTC bound.
FILTER_YEARS = [MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)]


class DatePicker(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def wib_midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in WIB: a bound for a comparison that an index on the timestamp can serve."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class ListFilterSet(django_filters.FilterSet):
    """The filters of a list page: Bootstrap-styled quick widgets, errors marked on their fields, and
    choices from the database read once per request (Django would read them once to validate a given
    value and again to render the form)."""

    def __init__(self, *args, without: Collection[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        # Filters a request has no use for go before the form is built: one removed after binding would stay in
        # `cleaned_data`, and `filter_queryset` would look it up and fail (PITFALLS, django-filter).
        for name in without:
            del self.filters[name]
        for declared in self.filters.values():
            choices = declared.extra.get("choices")
            if callable(choices):
                declared.extra["choices"] = functools.cache(choices)
        for field in self.form.fields.values():
            quicken(field, "form-select" if isinstance(field.widget, forms.Select) else "form-control")
        if self.is_bound:
            for name in self.form.errors.keys() & self.form.fields.keys():
                self.form.fields[name].widget.attrs["class"] += " is-invalid"
