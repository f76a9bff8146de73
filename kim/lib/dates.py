import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

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


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February becomes 28 February), never past LAST_DAY."""
    try:
        later = day.replace(year=day.year + years)
    except ValueError:
        later = day.replace(year=day.year + years, day=28)
    return min(later, LAST_DAY)


def day_text(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


@deconstructible
class InDateRange:
    """A model-field validator: a date (or a moment, read in WIB) within FIRST_DAY to LAST_DAY."""

    def __call__(self, value: dt.date) -> None:
        day = (
            timezone.localdate(value)
            if isinstance(value, dt.datetime) and timezone.is_aware(value)
            else value
        )
        if isinstance(day, dt.datetime):
            day = day.date()
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(
                _("Enter a date between %(first)s and %(last)s."),
                params={"first": day_text(FIRST_DAY), "last": day_text(LAST_DAY)},
                code="out_of_range",
            )

    def __eq__(self, other):
        return isinstance(other, InDateRange)


def in_date_range(field: str, *, name: str, nullable: bool = True) -> models.CheckConstraint:
    """The database's guard that `field` holds a date within FIRST_DAY to LAST_DAY, whoever writes it: a service,
    the admin or a script. A date far beyond them (9999-12-31) would overflow the first day added to it."""
    within = Q(**{f"{field}__gte": FIRST_DAY, f"{field}__lte": LAST_DAY})
    return models.CheckConstraint(
        condition=within | Q(**{f"{field}__isnull": True}) if nullable else within, name=name
    )


def in_moment_range(field: str, *, name: str) -> models.CheckConstraint:
    """As in_date_range, for a moment: from the first to the last day of the range, counted in UTC."""
    first = dt.datetime.combine(FIRST_DAY, dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(LAST_DAY, dt.time.max, tzinfo=dt.UTC)
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": first, f"{field}__lte": end}), name=name)
