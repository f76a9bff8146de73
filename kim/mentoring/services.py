"""Writes to the mentoring log. Each keeps `Kim.last_visit_on`, which lists filter and flag on, in step."""

import datetime as dt
from collections.abc import Iterable
from functools import partial

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from kim import reminders
from kim.accounts.models import User
from kim.lib.uploads import delete_photos, store_photos
from kim.mentoring.models import Visit, VisitPhoto
from kim.register.models import Kim


def _lock_kim(kim: Kim) -> None:
    """Take the KIM's row lock first, so that two visits saved at once cannot both compute a stale latest date
    and the later commit win with the older one."""
    list(Kim.objects.select_for_update().filter(pk=kim.pk).values_list("pk", flat=True))


def _refresh_last_visit(kim: Kim) -> None:
    latest = Visit.objects.filter(kim_id=kim.pk).aggregate(latest=Max("visited_on"))["latest"]
    Kim.objects.filter(pk=kim.pk).update(last_visit_on=latest)
    kim.last_visit_on = latest
    reminders.plan(kim)


@transaction.atomic
def visit_record(
    *,
    kim: Kim,
    actor: User,
    visited_on: dt.date,
    kind: str,
    officers: Iterable[User],
    topic: str,
    participants: int | None,
    notes: str,
    photos: Iterable[UploadedFile] = (),
) -> Visit:
    _lock_kim(kim)
    visit = Visit.objects.create(
        kim=kim,
        visited_on=visited_on,
        kind=kind,
        topic=topic,
        participants=participants,
        notes=notes,
        recorded_by=actor,
    )
    visit.officers.set(officers)
    _refresh_last_visit(kim)
    store_photos(partial(VisitPhoto, visit=visit), photos)
    return visit


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    actor: User,
    visited_on: dt.date,
    kind: str,
    officers: Iterable[User],
    topic: str,
    participants: int | None,
    notes: str,
    photos: Iterable[UploadedFile] = (),
    remove_photos: Iterable[VisitPhoto] = (),
) -> Visit:
    """Change a visit (the recorder stays the one who first recorded it); add and remove photos."""
    _lock_kim(visit.kim)
    visit.visited_on, visit.kind, visit.topic = visited_on, kind, topic
    visit.participants, visit.notes = participants, notes
    visit.save(update_fields=["visited_on", "kind", "topic", "participants", "notes"])
    visit.officers.set(officers)
    _refresh_last_visit(visit.kim)
    delete_photos(VisitPhoto.objects.filter(visit=visit, pk__in=[photo.pk for photo in remove_photos]))
    store_photos(partial(VisitPhoto, visit=visit), photos)
    return visit


@transaction.atomic
def visit_delete(*, visit: Visit, actor: User) -> None:
    """Remove a visit and its photos; the photo files go once the removal is committed."""
    kim = visit.kim
    _lock_kim(kim)
    delete_photos(VisitPhoto.objects.filter(visit=visit))
    visit.delete()
    _refresh_last_visit(kim)
