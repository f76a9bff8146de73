"""The staff reminder pages' rows of the central permission matrix (tests/test_permissions.py):
(page, method, url builder taking the objects fixture, expected status per persona)."""

from django.urls import reverse

from tests.expectations import PROGRAMME_READERS, STAFF_ACTION, STAFF_ONLY

# Staff asking for something that is not there: a 404; everyone else is refused before the lookup.
STAFF_MISSING = {**STAFF_ONLY, "staff": 404, "staff_admin": 404}
# The same on a page leaders read: they too are let in, and find nothing.
READERS_MISSING = {**STAFF_MISSING, "leader": 404}
# An account without a role is refused before the method is looked at.
WRONG_METHOD = {**dict.fromkeys(STAFF_ONLY, 405), "anonymous": 302, "no_role": 403}


def _about(kind: str, key: str):
    return lambda o: reverse("reminders:about", args=[kind, o[key].pk])


REMINDER_PAGES: list = [
    ("reminder rules", "get", lambda o: reverse("reminders:rules"), PROGRAMME_READERS),
    ("new reminder rule: trigger choice", "get", lambda o: reverse("reminders:rule_create"), STAFF_ONLY),
    (
        "new reminder rule form",
        "get",
        lambda o: reverse("reminders:rule_create") + "?trigger=report_owed",
        STAFF_ONLY,
    ),
    # An empty POST shows the form again; nothing is saved.
    (
        "new reminder rule",
        "post",
        lambda o: reverse("reminders:rule_create") + "?trigger=report_owed",
        STAFF_ONLY,
    ),
    ("reminder rule form", "get", lambda o: reverse("reminders:rule_edit", args=[o["rule"].pk]), STAFF_ONLY),
    ("reminder rule edit", "post", lambda o: reverse("reminders:rule_edit", args=[o["rule"].pk]), STAFF_ONLY),
    ("missing reminder rule", "get", lambda o: reverse("reminders:rule_edit", args=[999_999]), STAFF_MISSING),
    ("outbox", "get", lambda o: reverse("reminders:outbox"), PROGRAMME_READERS),
    ("reminder retry", "post", lambda o: reverse("reminders:retry", args=[o["failed"].pk]), STAFF_ACTION),
    (
        "reminder retry, wrong method",
        "get",
        lambda o: reverse("reminders:retry", args=[o["failed"].pk]),
        WRONG_METHOD,
    ),
    ("reminders about a session", "get", _about("session", "session"), PROGRAMME_READERS),
    ("reminders about a formation", "get", _about("formation", "formation"), PROGRAMME_READERS),
    ("reminders about a KIM", "get", _about("kim", "kim"), PROGRAMME_READERS),
    (
        "reminders about an unknown kind",
        "get",
        lambda o: reverse("reminders:about", args=["member", o["member"].pk]),
        READERS_MISSING,
    ),
]
