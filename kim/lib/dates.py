import datetime as dt

from django.utils import timezone

# The years the application accepts wherever a year or a date is typed, offered or filtered on. The KIM
# programme is younger than 2000 (a date in 0219 is a mistyped 2019), and far beyond 2100 a date would
# overflow when turned into a UTC bound. The village status table checks the same range in the database.
FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)


def in_year_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def current_year() -> int:
    """The year in Jakarta now (a status year turns over at midnight WIB, not UTC)."""
    return timezone.localdate().year
