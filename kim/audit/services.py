"""Writing the audit trail's index: a Change for each historical record django-simple-history makes.

simple-history writes its snapshot in the save's own transaction (a post_save or post_delete receiver), and
says so with its `post_create_historical_record` signal; `record_change` listens there (connected in
kim/apps.py), so every save of a tracked model, from a service, a form or Django admin, is on the trail.
Its author is the signed-in user of the request (simple-history's HistoryRequestMiddleware).
"""

import datetime as dt
import decimal
import functools
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models

from kim.audit.models import Change

# Shown as changed, never with its value.
SECRET_FIELDS = {"password"}
SECRET = "***"
# Bookkeeping stamps: the change's own time says when, so they are kept in the snapshot but never listed.
STAMPS = {"created_at", "updated_at"}


def record_change(sender, *, instance, history_instance, **kwargs) -> Change | None:
    """Index one historical record. An edit that changed no tracked field (a sign-in stamping the
    account's last_login, a form saved as it was) leaves no line."""
    kind = history_instance.history_type
    if kind == Change.Kind.CREATED:
        differences = _initial_values(history_instance, instance)
    elif kind == Change.Kind.CHANGED:
        previous = _previous_values(history_instance, instance)
        if previous is None:
            # A row older than its trail (made before the trail began, or by a data migration): what it
            # holds now is all that is known.
            differences = _initial_values(history_instance, instance)
        else:
            differences = _differences(previous, history_instance, instance)
            if not differences:
                return None
    else:
        differences = []
    return Change.objects.create(
        at=history_instance.history_date,
        actor_id=history_instance.history_user_id,
        kind=kind,
        subject_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        subject_id=str(instance.pk),
        subject_repr=str(instance)[:200],
        differences=differences,
    )


def _previous_values(history_instance, instance) -> dict[str, Any] | None:
    """The object's tracked values at its previous historical record, or None when this is its first.

    One plain query by its primary-key index, written once per model: the ORM's building and compiling of
    the same query cost a KIM's save four times what running it does (manage.py bench)."""
    history_model, alias = type(history_instance), history_instance._state.db
    ops = connections[alias].ops
    sql = _previous_sql(history_model._meta.db_table, instance._meta.pk.column, alias)
    params = [instance.pk, ops.adapt_datetimefield_value(history_instance.history_date)]
    previous = next(iter(history_model._base_manager.db_manager(alias).raw(sql, params)), None)
    if previous is None:
        return None
    return {field.attname: getattr(previous, field.attname) for field in _fields(history_instance)}


@functools.cache
def _previous_sql(table: str, pk_column: str, alias: str) -> str:
    quote = connections[alias].ops.quote_name
    return (
        f"SELECT * FROM {quote(table)} "
        f"WHERE {quote(pk_column)} = %s AND {quote('history_date')} < %s "
        f"ORDER BY {quote('history_date')} DESC, {quote('history_id')} DESC LIMIT 1"
    )


def _fields(history_instance) -> list[models.Field]:
    return [
        field
        for field in history_instance.tracked_fields
        if not field.primary_key and field.name not in STAMPS
    ]


def _initial_values(history_instance, instance) -> list[list[Any]]:
    rows = []
    for field in _fields(history_instance):
        value = getattr(history_instance, field.attname)
        if value not in (None, ""):
            rows.append([field.name, None, _stored(field, value, instance)])
    return rows


def _differences(previous: dict[str, Any], history_instance, instance) -> list[list[Any]]:
    rows = []
    for field in _fields(history_instance):
        old, new = previous[field.attname], getattr(history_instance, field.attname)
        if old != new:
            rows.append([field.name, _stored(field, old, None), _stored(field, new, instance)])
    return rows


def _stored(field: models.Field, value: Any, instance) -> Any:
    """A value as the trail keeps it: JSON, and a related object's name rather than its key (read from the
    saved object when it holds it, else looked up once)."""
    if value is None or value == "":
        return None
    if field.name in SECRET_FIELDS:
        return SECRET
    if isinstance(field, models.ForeignKey):
        if instance is not None and field.is_cached(instance):
            related = getattr(instance, field.name)
        else:
            related_model = cast(type[models.Model], field.related_model)
            related = related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)  # a file's stored name, and anything else
