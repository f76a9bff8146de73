"""Expected statuses shared by the permission matrix's modules: the personas, and pages for staff only."""

PERSONAS = [
    "anonymous",
    "staff",
    "staff_admin",
    "leader",
    "head",
    "stranger",
    "officer",
    "other_officer",
    "no_role",
]
# "no_role", an account whose role was never chosen, gets 403 on every page that needs signing in; the pages a
# visitor who is not signed in may open (health, sign-in, password reset, the calendar feed) stay open to it.

# Staff pages that change the programme (forms, actions): a leader, who reads what staff read and changes
# nothing, is refused them.
STAFF_ONLY = {
    "anonymous": 302,
    "staff": 200,
    "staff_admin": 200,
    "leader": 403,
    "head": 403,
    "stranger": 403,
    "officer": 403,
    "other_officer": 403,
    "no_role": 403,
}
# A POST that succeeds redirects.
STAFF_ACTION = {**STAFF_ONLY, "staff": 302, "staff_admin": 302}
# Staff pages that only read (lists, the audit trail, reminder rules, the outbox, the WhatsApp queue):
# leaders read them too.
PROGRAMME_READERS = {**STAFF_ONLY, "leader": 200}
