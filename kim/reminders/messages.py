"""The words of each reminder, written when it is sent (so they say how things stand then), in Indonesian.
Each trigger writes its own (registry.Trigger.compose); the helpers here keep dates and links alike."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import formats, timezone, translation

from kim.reminders import registry
from kim.reminders.models import Reminder


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str  # absolute, so that it works from an email or a WhatsApp message

    def as_text(self) -> str:
        return f"{self.title}\n\n{self.body}\n\n{self.url}"


def when(moment: dt.datetime) -> str:
    """ "Selasa, 8 Desember 2026, 09:00 WIB"."""
    return formats.date_format(timezone.localtime(moment), "l, j F Y, H:i") + " WIB"


def day(date: dt.date) -> str:
    return formats.date_format(date, "l, j F Y")


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def compose(row: Reminder, subject) -> Message:
    with translation.override(settings.LANGUAGE_CODE):
        title, body, path = registry.trigger(row.trigger).compose(row, subject)
        return Message(title[:200], body, _absolute(path))
