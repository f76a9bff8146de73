"""The staff reminder pages' rows of the central permission matrix (tests/test_permissions.py):
(page, method, url builder taking the objects fixture, expected status per persona)."""

REMINDER_PAGES: list = []
