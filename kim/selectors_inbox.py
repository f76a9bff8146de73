"""Reads for the inbox, the WhatsApp queue and the navbar's counts: each scoped to who may see the rows."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.db.models import IntegerField, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from kim.models import Heartbeat, User
from kim.models.reminders import Channel, Reminder
from kim.phone import whatsapp_url
from kim.reminders.messages import Message
from kim.reminders.sending import SWEEP_HEARTBEAT


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
    if user.is_dinkominfo:
        counts["whatsapp_waiting"] = _Count(whatsapp_messages(relayed=False).order_by().values("pk"))
        counts["sweep_at"] = Subquery(Heartbeat.objects.filter(name=SWEEP_HEARTBEAT).values("beat_at")[:1])
    row = User.objects.filter(pk=user.pk).values(**counts).order_by("pk").first()
    return NavStatus(**row) if row else NavStatus()
