"""Reads for the staff reminder pages: the rules with their counts, the outbox, and one subject's reminders."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.db.models import Count, IntegerField, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kim.accounts.models import User
from kim.lib.phone import whatsapp_url
from kim.reminders import planning, registry
from kim.reminders.messages import Message
from kim.reminders.models import Channel, Heartbeat, Reminder, ReminderRule
from kim.reminders.sending import SWEEP_HEARTBEAT

State = Reminder.State

# Why a row was withdrawn, as planning and sending write it into last_error.
WITHDRAWN_REASONS: dict[str, Promise] = {
    "moved": _("the date moved: a new reminder replaces it"),
    "resolved": _("no longer needed: the matter was resolved"),
    "recipient no longer concerned": _("the recipient is no longer concerned"),
    "channel turned off": _("the recipient turned this channel off"),
    "too late": _("too late to be of use"),
    "deleted": _("what it was about was deleted"),
    "rule turned off": _("the rule was turned off"),
}


def rule_timing(rule: ReminderRule) -> str:
    """When a rule fires, in words: "3 days before", "1 day after, then every 3 days until resolved"."""
    days = abs(rule.offset_days)
    if rule.offset_days < 0:
        when = ngettext("%(days)d day before", "%(days)d days before", days) % {"days": days}
    elif rule.offset_days > 0:
        when = ngettext("%(days)d day after", "%(days)d days after", days) % {"days": days}
    else:
        when = str(_("at the moment itself"))
    every = rule.repeat_every_days
    if every:
        then = ngettext(
            "then every %(days)d day until resolved", "then every %(days)d days until resolved", every
        ) % {"days": every}
        when = f"{when}, {then}"
    return when


def audience_labels(values: list[str]) -> list[str]:
    return [registry.audience_label(value) for value in values]


def rule_list() -> list[ReminderRule]:
    """Every rule with how many of its messages wait, went out and failed: one query, whatever the outbox."""
    rules = ReminderRule.objects.annotate(
        due_count=Count("reminders", filter=Q(reminders__state__in=planning.OPEN_STATES)),
        sent_count=Count("reminders", filter=Q(reminders__state=State.SENT)),
        failed_count=Count("reminders", filter=Q(reminders__state=State.FAILED)),
    )
    rows: list[ReminderRule] = list(rules)
    for rule in rows:
        rule.timing = rule_timing(rule)  # type: ignore[attr-defined]
        rule.audience_labels = audience_labels(rule.audience)  # type: ignore[attr-defined]
    return rows


def get_rule(rule_id: int) -> ReminderRule:
    return get_object_or_404(ReminderRule, pk=rule_id)


def get_reminder(reminder_id: int) -> Reminder:
    return get_object_or_404(Reminder, pk=reminder_id)


def outbox_rows() -> QuerySet[Reminder]:
    """The whole outbox, latest due first (the id keeps page boundaries stable); to be narrowed by filters."""
    return Reminder.objects.select_related("rule").order_by("-due_at", "-id")


@dataclass(frozen=True)
class SubjectLink:
    url: str
    label: str
    about_url: str


def subject_link(concerns: str) -> SubjectLink | None:
    """The page a reminder belongs to, from its key alone (no query); None for the weekly digest."""
    kind, _sep, pk = concerns.partition(":")
    page = _page(kind)
    if page is None or not pk.isdigit():
        return None
    return SubjectLink(
        url=reverse(page.url_name, args=[pk]),
        label=str(page.label) % {"pk": pk},
        about_url=reverse("reminders:about", args=[kind, pk]),
    )


def _page(kind: str) -> registry.Page | None:
    try:
        return registry.kind(kind).page
    except LookupError:
        return None


def _part_label(kind: str):
    """How a subject listed on another's page is named there ("follow-up #3"), if it is."""
    try:
        return registry.kind(kind).part_label
    except LookupError:
        return None


def describe(rows) -> list[Reminder]:
    """Give each row what the templates show beyond its fields: its page, what part of it the row is about,
    and, if withdrawn, why in words."""
    rows = list(rows)
    for row in rows:
        row.link = subject_link(row.concerns)  # type: ignore[attr-defined]
        kind, _sep, pk = row.subject.partition(":")
        part = _part_label(kind)
        row.part = str(part) % {"pk": pk} if part else ""  # type: ignore[attr-defined]
        row.reason = (  # type: ignore[attr-defined]
            str(WITHDRAWN_REASONS.get(row.last_error, row.last_error))
            if row.state == State.WITHDRAWN
            else row.last_error
        )
    return rows


def get_subject(kind: str, pk: int) -> tuple[object, str, str]:
    """A subject that has a reminders page (a session, formation or KIM), its title and its page; 404 for any
    other kind or a missing one."""
    page = _page(kind)
    if page is None:
        raise Http404
    subject, title = page.get(pk)
    return subject, title, reverse(page.url_name, args=[pk])


def reminders_about(kind: str, pk: int) -> dict[str, list[Reminder]]:
    """One subject's reminders (a session with its follow-ups, a KIM with its members) in four groups, read
    in one query: sent, due, failed, withdrawn."""
    rows = describe(
        Reminder.objects.filter(concerns=f"{kind}:{pk}").select_related("rule").order_by("due_at", "id")
    )
    groups: dict[str, list[Reminder]] = {"sent": [], "due": [], "failed": [], "withdrawn": []}
    for row in rows:
        if row.state == State.SENT:
            groups["sent"].append(row)
        elif row.state == State.FAILED:
            groups["failed"].append(row)
        elif row.state == State.WITHDRAWN:
            groups["withdrawn"].append(row)
        else:  # planned, queued, sending
            groups["due"].append(row)
    groups["sent"].reverse()  # what went out last, first
    return groups


@dataclass(frozen=True)
class PreviewRow:
    recipient: str
    channel: str
    due_at: dt.datetime
    subject: SubjectLink | None
    title: str


@dataclass(frozen=True)
class RulePreview:
    total: int
    first: list[PreviewRow]
    withdrawn: int  # for a rule being turned off: the rows it would withdraw


def rule_preview(rule: ReminderRule) -> RulePreview:
    """What saving this (unsaved) rule would do now, without writing anything."""
    if not rule.is_active:
        open_rows = (
            Reminder.objects.filter(rule_id=rule.pk, state__in=planning.OPEN_STATES) if rule.pk else None
        )
        return RulePreview(0, [], open_rows.count() if open_rows is not None else 0)
    total, first = planning.preview(rule)
    channels = dict(Channel.choices)
    titles = subject_titles({p.concerns for p in first})
    rows = [
        PreviewRow(
            p.recipient.name,
            str(channels.get(p.channel, p.channel)),
            p.due_at,
            subject_link(p.concerns),
            titles.get(p.concerns, ""),
        )
        for p in first
    ]
    return RulePreview(total, rows, 0)


def subject_titles(keys: set[str]) -> dict[str, str]:
    """Names for "session:12"-style page keys: one query per kind present (a rule's subjects are of one)."""
    ids: dict[str, list[int]] = {}
    for key in keys:
        kind, _sep, pk = key.partition(":")
        if _page(kind) is not None and pk.isdigit():
            ids.setdefault(kind, []).append(int(pk))
    titles: dict[str, str] = {}
    for kind, pks in ids.items():
        page = _page(kind)
        assert page is not None
        titles |= {f"{kind}:{pk}": str(title) for pk, title in page.titles(pks).items()}
    return titles


def inbox_messages(user: User) -> QuerySet[Reminder]:
    """The reminders delivered to this person's inbox, newest first (and nobody else's)."""
    return Reminder.objects.filter(user=user, channel=Channel.INBOX, state=Reminder.State.SENT).order_by(
        "-sent_at", "-id"
    )


def unread_messages(user: User) -> QuerySet[Reminder]:
    return inbox_messages(user).filter(read_at__isnull=True)


def get_message_for_user(user: User, reminder_id: int) -> Reminder:
    """One of the person's own inbox messages; 404 for anyone else's, or for a row not in an inbox."""
    return get_object_or_404(inbox_messages(user), pk=reminder_id)


def local_path(url: str) -> str:
    """The path (and query) of a message's link, so that following it stays on this site whatever SITE_URL
    says; empty when there is no usable path."""
    parts = urlsplit(url)
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def whatsapp_messages(*, relayed: bool) -> QuerySet[Reminder]:
    """Ready WhatsApp messages: waiting to be sent by hand (oldest first), or already sent (latest first)."""
    rows = Reminder.objects.filter(
        channel=Channel.WHATSAPP, state=Reminder.State.SENT, relayed_at__isnull=not relayed
    ).select_related("relayed_by")
    return rows.order_by("-relayed_at", "-id") if relayed else rows.order_by("sent_at", "id")


def get_whatsapp_message(reminder_id: int) -> Reminder:
    return get_object_or_404(Reminder, pk=reminder_id, channel=Channel.WHATSAPP, state=Reminder.State.SENT)


def with_whatsapp_links(rows) -> list[Reminder]:
    """Give each row `wa_link`: wa.me to its number with the whole message typed in, ready to send."""
    rows = list(rows)
    for row in rows:
        text = Message(row.title, row.body, row.url).as_text().strip()
        row.wa_link = f"{whatsapp_url(row.address)}?text={quote(text, safe='')}" if row.address else ""
    return rows


class _Count(Subquery):
    """COUNT(*) of a queryset as a scalar subquery: 0, not NULL, when nothing matches."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


@dataclass(frozen=True)
class NavStatus:
    """What the navbar and the staff banner show on every page."""

    unread: int = 0
    whatsapp_waiting: int = 0
    sweep_at: dt.datetime | None = None

    @property
    def sweep_missing(self) -> bool:
        return self.sweep_at is None

    @property
    def sweep_stale(self) -> bool:
        return self.sweep_at is None or Heartbeat(beat_at=self.sweep_at).is_stale


def nav_status(user) -> NavStatus:
    """One query: the person's unread count and, for staff, the WhatsApp queue and the sweep's last run."""
    if not user.is_authenticated:
        return NavStatus()
    counts: dict = {"unread": _Count(unread_messages(user).order_by().values("pk"))}
    if user.reads_programme:
        counts["whatsapp_waiting"] = _Count(whatsapp_messages(relayed=False).order_by().values("pk"))
        counts["sweep_at"] = Subquery(Heartbeat.objects.filter(name=SWEEP_HEARTBEAT).values("beat_at")[:1])
    row = User.objects.filter(pk=user.pk).values(**counts).order_by("pk").first()
    return NavStatus(**row) if row else NavStatus()
