from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kim import reminders
from kim.register.models import Kim, Member


@transaction.atomic
def kim_update(*, form) -> Kim:
    """Save a valid KimForm (the KIM's register details and mentors); its status and mentors decide who is
    reminded about visits and officers' terms."""
    kim = form.save()
    reminders.plan(kim, *kim.members.current())
    return kim


@transaction.atomic
def member_save(*, form) -> Member:
    """Save a valid MemberForm. Two people naming a ketua at once: the database keeps one, the other
    gets the same message as the form gives."""
    try:
        with transaction.atomic():
            member = form.save()
    except IntegrityError as error:
        raise ValidationError(_("This KIM already has a ketua. End their term first.")) from error
    reminders.plan(member)
    return member


@transaction.atomic
def member_leave(*, member: Member, left_on) -> Member:
    """End a member's term; the row stays, as officer history."""
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    reminders.plan(member)
    return member
