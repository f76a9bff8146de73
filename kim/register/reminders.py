"""Reminders about KIMs and their officers: a mentoring visit due, an officer's term ending."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kim.register.audiences import MENTORS, VILLAGE_HEAD, kim_audiences
from kim.register.models import Kim, Member
from kim.reminders import registry
from kim.reminders.messages import day
from kim.reminders.registry import Moment

VISIT_DUE = "visit_due"
TERM_ENDING = "term_ending"


# KIMs: a mentoring visit due


def _kim_title(pk: int) -> tuple[Kim, str]:
    kim = get_object_or_404(Kim, pk=pk)
    return kim, kim.name


registry.register_kind(
    registry.SubjectKind(
        name="kim",
        model=Kim,
        load=lambda ids: Kim.objects.select_related("village").in_bulk(ids),
        audiences=kim_audiences(lambda kim: kim),
        page=registry.Page(
            url_name="register:detail",
            label=gettext_lazy("KIM #%(pk)s"),
            get=_kim_title,
            titles=lambda ids: dict(Kim.objects.filter(pk__in=ids).values_list("pk", "name")),
        ),
    )
)


def _visit_moment(kim: Kim, now: dt.datetime) -> Moment | None:
    """From the day the visit falls due (Kim.visit_due_on); a KIM with nothing to count from is overdue at
    once (Kim.visit_overdue), so its reminders count from the day it was registered."""
    if not kim.is_active:
        return None
    return Moment.morning_of(kim.visit_due_on or timezone.localtime(kim.created_at).date())


def _visit_message(row, kim: Kim) -> tuple[str, str, str]:
    since = kim.last_visit_on or kim.founded_on
    title = _("%(kim)s is due a mentoring visit") % {"kim": kim.name}
    if since:
        body = _("The last visit was on %(day)s.") % {"day": day(since)}
    else:
        body = _("It has not been visited yet.")
    return title, body, reverse("register:detail", args=[kim.pk])


registry.register_trigger(
    registry.Trigger(
        value=VISIT_DUE,
        label=gettext_lazy("A KIM's next mentoring visit is due"),
        kind="kim",
        audiences=(MENTORS, VILLAGE_HEAD),
        moment=_visit_moment,
        compose=_visit_message,
        open_subject_ids=lambda: Kim.objects.active().values_list("pk", flat=True),
        repeatable=True,
    )
)


# KIM officers: a term ending


registry.register_kind(
    registry.SubjectKind(
        name="member",
        model=Member,
        load=lambda ids: Member.objects.select_related("kim__village").in_bulk(ids),
        audiences=kim_audiences(lambda member: member.kim),
        concerns=lambda member: f"kim:{member.kim_id}",
        part_label=gettext_lazy("officer #%(pk)s"),
    )
)


def _term_moment(member: Member, now: dt.datetime) -> Moment | None:
    if member.left_on is not None or member.term_end is None or member.kim.status == Kim.Status.INACTIVE:
        return None
    return Moment.morning_of(member.term_end)


def _term_message(row, member: Member) -> tuple[str, str, str]:
    values = {
        "name": member.name,
        "position": member.get_position_display(),
        "kim": member.kim.name,
        "day": day(member.term_end) if member.term_end else "-",
    }
    title = _("Term ends %(day)s: %(name)s, %(position)s of %(kim)s") % values
    body = _("Plan the election or reappointment of the %(position)s of %(kim)s.") % values
    return title, body, reverse("register:detail", args=[member.kim_id])


registry.register_trigger(
    registry.Trigger(
        value=TERM_ENDING,
        label=gettext_lazy("A KIM officer's term ends"),
        kind="member",
        audiences=(MENTORS, VILLAGE_HEAD),
        moment=_term_moment,
        compose=_term_message,
        open_subject_ids=lambda: (
            Member.objects.current().filter(term_end__gte=timezone.localdate()).values_list("pk", flat=True)
        ),
    )
)
