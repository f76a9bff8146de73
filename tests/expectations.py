"""Expected statuses shared by the permission matrix's modules: the personas, and pages for staff only."""

PERSONAS = ["anonymous", "staff", "staff_admin", "head", "stranger", "officer", "other_officer"]

STAFF_ONLY = {
    "anonymous": 302,
    "staff": 200,
    "staff_admin": 200,
    "head": 403,
    "stranger": 403,
    "officer": 403,
    "other_officer": 403,
}
# A POST that succeeds redirects.
STAFF_ACTION = {**STAFF_ONLY, "staff": 302, "staff_admin": 302}
