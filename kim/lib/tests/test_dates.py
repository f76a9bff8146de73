"""Every typed date has a range that fits its meaning; nothing beyond it reaches the date arithmetic."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from kim.lib.dates import FIRST_DAY, LAST_DAY, InDateRange, years_after
from kim.lib.fields import DayField, PastDateField

EXAMPLES = settings(max_examples=80, deadline=None)
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC), tick=False):
        yield


def _accepts(field, day: dt.date) -> bool:
    try:
        field.clean(day.isoformat())
    except ValidationError:
        return False
    return True


def test_a_far_future_date_is_refused_with_the_latest_day_allowed():
    with pytest.raises(ValidationError) as refused:
        DayField(years_ahead=5).clean("9999-12-31")
    assert refused.value.code == "too_far"
    assert "15-06-2031" in refused.value.messages[0]


@EXAMPLES
@given(day=st.dates())
def test_a_date_within_years_ahead_is_taken_and_any_other_refused(day):
    assert _accepts(DayField(years_ahead=5), day) == (FIRST_DAY <= day <= dt.date(2031, 6, 15))


@EXAMPLES
@given(day=st.dates())
def test_a_past_date_is_one_from_the_first_day_up_to_today(day):
    assert _accepts(PastDateField(), day) == (FIRST_DAY <= day <= TODAY)


@EXAMPLES
@given(day=st.dates())
def test_any_other_date_is_one_within_the_applications_years(day):
    assert _accepts(DayField(), day) == (FIRST_DAY <= day <= LAST_DAY)


@EXAMPLES
@given(day=st.dates())
def test_the_model_guard_takes_the_same_years(day):
    try:
        InDateRange()(day)
    except ValidationError:
        assert not FIRST_DAY <= day <= LAST_DAY
    else:
        assert FIRST_DAY <= day <= LAST_DAY


def test_the_model_guard_reads_a_moment_in_wib():
    InDateRange()(dt.datetime(2100, 12, 31, 16, 59, tzinfo=dt.UTC))  # 23:59 WIB on the last day
    with pytest.raises(ValidationError):
        InDateRange()(dt.datetime(2100, 12, 31, 17, 0, tzinfo=dt.UTC))  # the next day in WIB


@EXAMPLES
@given(day=st.dates(min_value=FIRST_DAY, max_value=LAST_DAY), years=st.integers(0, 200))
def test_years_after_never_passes_the_last_day_nor_overflows(day, years):
    later = years_after(day, years)
    assert day <= later <= LAST_DAY
    later + dt.timedelta(days=366 * 50)  # room left for any reminder counted from it


def test_years_after_turns_29_february_into_28_february():
    assert years_after(dt.date(2028, 2, 29), 1) == dt.date(2029, 2, 28)
