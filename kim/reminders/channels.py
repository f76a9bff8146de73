"""How a message reaches its recipient. A channel raises PermanentFailure for what a retry cannot mend (a
malformed or refused address) and anything else for what it may (the mail server is down)."""

import smtplib
from typing import Protocol

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from kim.reminders.messages import Message
from kim.reminders.models import Channel, Reminder
from kim.reminders.registry import Recipient


class PermanentFailure(Exception):
    pass


class ChannelBackend(Protocol):
    def address(self, recipient: Recipient) -> str:
        """Where this channel reaches the recipient (empty when it cannot)."""

    def send(self, row: Reminder, message: Message) -> None: ...


class InboxChannel:
    """The message is the outbox row itself, read in the recipient's inbox: nothing leaves the database."""

    def address(self, recipient: Recipient) -> str:
        return recipient.key

    def send(self, row: Reminder, message: Message) -> None:
        if row.user_id is None:
            raise PermanentFailure("only accounts have an inbox")


class EmailChannel:
    def address(self, recipient: Recipient) -> str:
        return recipient.email

    def send(self, row: Reminder, message: Message) -> None:
        try:
            validate_email(row.address)
        except ValidationError:
            raise PermanentFailure(f"not an email address: {row.address!r}") from None
        try:
            mail.send_mail(message.title, f"{message.body}\n\n{message.url}\n", None, [row.address])
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentFailure(f"address refused: {error.recipients}") from None


class WhatsAppRelay:
    """No gateway yet: the ready message waits in the staff inbox with a wa.me link, for staff to send from
    their phone and tick off. A gateway would be another channel with the same two methods."""

    def address(self, recipient: Recipient) -> str:
        return recipient.phone

    def send(self, row: Reminder, message: Message) -> None:
        if not row.address:
            raise PermanentFailure("no phone number")


CHANNELS: dict[str, ChannelBackend] = {
    Channel.INBOX: InboxChannel(),
    Channel.EMAIL: EmailChannel(),
    Channel.WHATSAPP: WhatsAppRelay(),
}
