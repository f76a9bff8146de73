"""Helpers for a kind whose params are a list's filter form (a django-filter FilterSet's form, or a plain
form): read them from the query string, and say them in words for the Downloads page."""

import datetime as dt
from collections.abc import Iterable

from django import forms
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext as _

from kim.downloads.registry import InvalidParams, query_params

# Never a filter: the list's page number.
NOT_FILTERS = {"page"}


def from_form(form: forms.Form, query: QueryDict, *, extra: Iterable[str] = ()) -> dict[str, list[str]]:
    """The query's values of the form's fields (and of `extra` keys, such as a sort order), as canonical
    params; InvalidParams when the form refuses them, with the first error, so that nothing is exported from
    filters the list itself would not apply."""
    if form.is_bound and not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        message = f"{label}: {errors[0]}" if label else str(errors[0])
        raise InvalidParams(_("Check the list's filters before downloading: %(error)s") % {"error": message})
    return query_params(query, (set(form.fields) | set(extra)) - NOT_FILTERS)


def describe_form(form: forms.Form) -> str:
    """The filters a valid bound form applies, in words: "Kecamatan: Kaligondang; State: held"."""
    if not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()) or name in NOT_FILTERS:
            continue
        parts.append(f"{field.label or name}: {_words(field, value)}")
    return "; ".join(parts)


def _words(field: forms.Field, value) -> str:
    if isinstance(value, list | tuple | set) and not isinstance(value, str):
        return ", ".join(_words(field, item) for item in value)
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in _flat(choices)}
        return str(labels.get(str(value), value))
    return str(value)


def _flat(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat(label)
        else:
            yield key, label
