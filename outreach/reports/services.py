"""Writes after a session: mark it held, record (or correct) its report, complete its follow-up actions.

Like the planning transitions in outreach.sessions.services, each re-reads the session under its row lock and leaves
a SessionEvent; a transition that finds nothing to do returns False and records nothing.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kim import reminders
from kim.lib.uploads import delete_photos, store_photos
from outreach.reports.models import Attendee, FollowUp, SessionPhoto, SessionReport
from outreach.sessions.models import Session, SessionEvent
from outreach.sessions.selectors import can_manage_session
from outreach.sessions.services import Event, State, _lock


@dataclass(frozen=True)
class AttendeeRow:
    name: str
    origin: str = ""
    gender: str = ""


@dataclass(frozen=True)
class FollowUpRow:
    """A follow-up as typed in the report form: `follow_up` is the row it corrects, None for a new one."""

    action: str
    owner: str
    due_on: dt.date
    follow_up: FollowUp | None = None
    owner_phone: str = ""


def _require_manager(actor, session: Session) -> None:
    if not can_manage_session(actor, session):
        raise PermissionDenied


@transaction.atomic
def session_mark_held(*, session: Session, actor) -> bool:
    """A confirmed session whose start has passed took place. False when it was already marked held."""
    _require_manager(actor, session)
    session = _lock(session)
    if session.has_taken_place:
        return False
    if session.state != State.CONFIRMED:
        raise ValidationError(
            _("Only a confirmed session can be marked as held; this one is %(state)s.")
            % {"state": session.get_state_display()},
            code="not_confirmed",
        )
    if session.starts_at > timezone.now():
        raise ValidationError(_("The session has not started yet; it cannot be held."), code="future")
    session.state = State.HELD
    session.save(update_fields=["state"])
    SessionEvent.record(session, actor=actor, kind=Event.HELD)
    reminders.plan(session)
    return True


def _save_follow_ups(session: Session, rows: Iterable[FollowUpRow], removed: Iterable[FollowUp]) -> None:
    FollowUp.objects.filter(session=session, pk__in=[item.pk for item in removed]).delete()
    for row in rows:
        if row.follow_up is None:
            FollowUp.objects.create(
                session=session,
                action=row.action,
                owner=row.owner,
                owner_phone=row.owner_phone,
                due_on=row.due_on,
            )
        else:
            FollowUp.objects.filter(session=session, pk=row.follow_up.pk).update(
                action=row.action, owner=row.owner, owner_phone=row.owner_phone, due_on=row.due_on
            )


@transaction.atomic
def session_record_report(
    *,
    session: Session,
    actor,
    attended_male: int,
    attended_female: int,
    minutes: str,
    attendees: Iterable[AttendeeRow] = (),
    follow_ups: Iterable[FollowUpRow] = (),
    remove_follow_ups: Iterable[FollowUp] = (),
    photos: Iterable[UploadedFile] = (),
    remove_photos: Iterable[SessionPhoto] = (),
) -> SessionReport:
    """Record what happened at a held session, which is then reported; a reported one may be corrected.
    The typed names replace the earlier list."""
    _require_manager(actor, session)
    session = _lock(session)
    if not session.has_taken_place:
        raise ValidationError(_("Mark the session as held before recording its report."), code="not_held")
    report, _created = SessionReport.objects.update_or_create(
        session=session,
        defaults={
            "attended_male": attended_male,
            "attended_female": attended_female,
            "minutes": minutes,
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    session.attendees.all().delete()
    Attendee.objects.bulk_create(
        Attendee(session=session, name=row.name, origin=row.origin, gender=row.gender) for row in attendees
    )
    _save_follow_ups(session, follow_ups, remove_follow_ups)
    delete_photos(SessionPhoto.objects.filter(session=session, pk__in=[photo.pk for photo in remove_photos]))
    store_photos(partial(SessionPhoto, session=session), photos)
    session.state = State.REPORTED
    session.save(update_fields=["state"])
    SessionEvent.record(
        session, actor=actor, kind=Event.REPORTED, notes=f"L {attended_male}, P {attended_female}"
    )
    reminders.plan(session, *session.follow_ups.all(), *remove_follow_ups)
    return report


@transaction.atomic
def follow_up_complete(*, follow_up: FollowUp, actor, done_on: dt.date) -> bool:
    """Mark a follow-up action done on the given day; False when it was already done."""
    _require_manager(actor, follow_up.session)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done_on is not None:
        return False
    if done_on > timezone.localdate():
        raise ValidationError(_("The completion date cannot be in the future."), code="future")
    follow_up.done_on = done_on
    follow_up.save(update_fields=["done_on"])
    reminders.plan(follow_up)
    return True
