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

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

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
    change = Change.objects.create(
        at=history_instance.history_date,
        actor_id=history_instance.history_user_id,
        kind=kind,
        subject_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        subject_id=str(instance.pk),
        subject_repr=str(instance)[:200],
        differences=differences,
    )
    if kind != Change.Kind.DELETED:
        _keep_open(instance, change)
    return change


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


def record_m2m_change(sender, *, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """Put a change of a many-to-many field (a KIM's mentors, a session's resource persons) on the trail:
    its names before → after, on the Change of the save it follows (connected in kim/apps.py).

    Listening to `m2m_changed` ourselves rather than simple-history's `m2m_fields`: that option writes a
    whole new historical record for every add, remove and clear (a form's `set()` is a remove then an add,
    so two records besides the save's own), copies every through row into it, and its difference would need
    the previous record's rows read back; each would land as a Change of its own. Here an action costs a
    read of the names before, one of the names added and one write, the difference joins the save's own
    Change (a form saves the object, then its many-to-many fields), and no table is added. The author is
    simple-history's, from the same request. Only the forward side is followed: nothing in the app or in
    Django admin edits these relations from the other end.
    """
    if reverse or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    if hasattr(instance, "skip_history_when_saving"):
        return
    field = next(f for f in instance._meta.many_to_many if f.remote_field.through is sender)
    before: dict[str, dict[Any, str]] = instance.__dict__.setdefault("_audit_m2m_before", {})
    if action.startswith("pre_"):
        before[field.name] = {obj.pk: str(obj) for obj in getattr(instance, field.name).all()}
        return
    if not action.startswith("post_") or field.name not in before:
        return
    old = before.pop(field.name)
    if action == "post_add":
        new = {**old, **{obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=pk_set)}}
    elif action == "post_remove":
        new = {pk: name for pk, name in old.items() if pk not in pk_set}
    else:
        new = {}
    _note_m2m(instance, field.name, sorted(old.values()), sorted(new.values()))


def _note_m2m(instance, name: str, old: list[str], new: list[str]) -> None:
    """Write one field's names before → after on the instance's open Change, or on a new one. A field
    changed twice in one go (a remove, then an add) keeps its names from before the first."""
    change: Change | None = instance.__dict__.get("_audit_change")
    if change is None:
        change = Change(
            at=timezone.now(),
            actor_id=_m2m_actor_id(instance),
            kind=Change.Kind.CHANGED,
            subject_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
            subject_id=str(instance.pk),
            subject_repr=str(instance)[:200],
        )
    created = change.kind == Change.Kind.CREATED
    earlier = [row[1] for row in change.differences if row[0] == name]
    first = earlier[0] if earlier else (None if created else old or None)
    rows = [row for row in change.differences if row[0] != name]
    if first != (new or None):
        rows.append([name, first, new or None])
    change.differences = rows
    # A Change rolled back with its transaction is written anew.
    if change.pk is None or not Change.objects.filter(pk=change.pk).update(differences=rows):
        if not rows:
            return
        change.pk = None
        change.save()
        _keep_open(instance, change)


def _keep_open(instance, change: Change) -> None:
    """The many-to-many edits that follow a save of the same object in memory, until its transaction
    commits, join that save's Change."""
    instance.__dict__["_audit_change"] = change
    if connection.in_atomic_block:
        transaction.on_commit(lambda: instance.__dict__.pop("_audit_change", None))


def _m2m_actor_id(instance) -> int | None:
    """The author simple-history would name for a save of `instance` now."""
    user = getattr(instance, "_history_user", None)
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None
