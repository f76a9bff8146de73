"""The inbox, channel choices and WhatsApp queue rows of the central permission matrix (tests/test_permissions.py):
(page, method, url builder taking the objects fixture, expected status per persona).

Everyone signed in with a role has an inbox and channel choices; only the owner reaches a message (anyone
else with a role, staff included, gets 404: they do not learn it exists); the WhatsApp queue is the staff's.
An account without a role gets 403 on all of them."""

from django.urls import reverse

from tests.expectations import PERSONAS, PROGRAMME_READERS, STAFF_ACTION, STAFF_ONLY

SIGNED_IN = {**dict.fromkeys(PERSONAS, 200), "anonymous": 302, "no_role": 403}
SIGNED_IN_ACTION = {**dict.fromkeys(PERSONAS, 302), "no_role": 403}
# "inbox_message" was sent to the officer's inbox.
OWNER_ONLY = {**dict.fromkeys(PERSONAS, 404), "anonymous": 302, "officer": 302, "no_role": 403}
NOBODY = {**dict.fromkeys(PERSONAS, 404), "anonymous": 302, "no_role": 403}
STAFF_ON_A_WRONG_ROW = {**STAFF_ONLY, "staff": 404, "staff_admin": 404}


def _message(name: str, objects: dict, which: str) -> str:
    return reverse(name, args=[objects[which].pk])


INBOX_PAGES = [
    ("inbox", "get", lambda o: reverse("reminders:inbox"), SIGNED_IN),
    ("inbox, second page", "get", lambda o: reverse("reminders:inbox") + "?page=2", SIGNED_IN),
    ("inbox read", "post", lambda o: _message("reminders:inbox_read", o, "inbox_message"), OWNER_ONLY),
    (
        "inbox read, a WhatsApp row",
        "post",
        lambda o: _message("reminders:inbox_read", o, "whatsapp_message"),
        NOBODY,
    ),
    ("inbox read, a failed row", "post", lambda o: _message("reminders:inbox_read", o, "failed"), NOBODY),
    ("inbox read all", "post", lambda o: reverse("reminders:inbox_read_all"), SIGNED_IN_ACTION),
    ("notification choices", "get", lambda o: reverse("reminders:notification_settings"), SIGNED_IN),
    (
        "notification choices save",
        "post",
        lambda o: reverse("reminders:notification_settings"),
        SIGNED_IN_ACTION,
    ),
    ("WhatsApp queue", "get", lambda o: reverse("reminders:whatsapp_queue"), PROGRAMME_READERS),
    (
        "WhatsApp queue, sent",
        "get",
        lambda o: reverse("reminders:whatsapp_queue") + "?status=sent",
        PROGRAMME_READERS,
    ),
    (
        "WhatsApp sent",
        "post",
        lambda o: _message("reminders:whatsapp_sent", o, "whatsapp_message"),
        STAFF_ACTION,
    ),
    (
        "WhatsApp sent, an inbox row",
        "post",
        lambda o: _message("reminders:whatsapp_sent", o, "inbox_message"),
        STAFF_ON_A_WRONG_ROW,
    ),
]
