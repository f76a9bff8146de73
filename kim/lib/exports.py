"""What every spreadsheet the app writes needs: text a spreadsheet would run as a formula, kept as text.

The downloads themselves are export jobs (kim.downloads): built on the worker, kept on the Downloads page."""

import re

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell that starts like a formula. Text people typed (names, decree numbers) is kept
# as text with a leading apostrophe; numbers and +62 phone numbers are left alone.
_FORMULA_START = re.compile(r"[=@\t\r]|[+-](?![\d\s.]*$)")


def spreadsheet_safe(value):
    if isinstance(value, str) and _FORMULA_START.match(value):
        return f"'{value}"
    return value
