import functools

import django_filters
from django import forms

from kim.widgets import quicken


class ListFilterSet(django_filters.FilterSet):
    """The filters of a list page: Bootstrap-styled quick widgets, errors marked on their fields, and
    choices from the database read once per request (Django would read them once to validate a given
    value and again to render the form)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for declared in self.filters.values():
            choices = declared.extra.get("choices")
            if callable(choices):
                declared.extra["choices"] = functools.cache(choices)
        for field in self.form.fields.values():
            quicken(field, "form-select" if isinstance(field.widget, forms.Select) else "form-control")
        if self.is_bound:
            for name in self.form.errors.keys() & self.form.fields.keys():
                self.form.fields[name].widget.attrs["class"] += " is-invalid"
