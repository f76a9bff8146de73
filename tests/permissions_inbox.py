"""The inbox, channel choices and WhatsApp queue rows of the central permission matrix (tests/test_permissions.py):
(page, method, url builder taking the objects fixture, expected status per persona)."""

INBOX_PAGES: list = []
