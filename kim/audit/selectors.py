"""Reading the audit trail: the Riwayat perubahan page's rows, each change's differences labelled in the
reader's language (field names, choice labels, Ya/Tidak, "-" for nothing)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kim.audit.filters import ChangeFilter
from kim.audit.models import Change
from kim.audit.services import SECRET

EMPTY = "-"


@dataclass(frozen=True)
class Difference:
    field: str
    old: str
    new: str


def change_filter(params) -> ChangeFilter:
    return ChangeFilter(params or None, queryset=Change.objects.select_related("actor", "subject_type"))


@dataclass(frozen=True)
class Entry:
    """A line of the page: the change, what kind of object it was, and its differences labelled."""

    change: Change
    subject_label: str
    rows: list[Difference]


def page_rows(changes: QuerySet[Change]) -> list[Entry]:
    """One page of changes, labelled: no query beyond the page's own."""
    return [_entry(change) for change in changes]


def _entry(change: Change) -> Entry:
    model = change.subject_type.model_class()
    label = capfirst(model._meta.verbose_name) if model else change.subject_type.model
    return Entry(change, str(label), [_difference(model, *entry) for entry in change.differences])


def _difference(model, name: str, old: Any, new: Any) -> Difference:
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        field = None  # a field since removed: its values as they were kept
    label = capfirst(field.verbose_name) if field is not None else name
    return Difference(str(label), shown(field, old), shown(field, new))


def shown(field: models.Field | None, value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if value == SECRET:
        return _("(changed)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list) and isinstance(field, models.ManyToManyField):
        return ", ".join(str(name) for name in value)
    if field is not None and field.choices and not field.is_relation:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField):
        return formats.date_format(
            timezone.localtime(dt.datetime.fromisoformat(value)), "SHORT_DATETIME_FORMAT"
        )
    if isinstance(field, models.DateField):
        return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return str(value)
