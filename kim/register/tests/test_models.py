"""When a KIM is due a mentoring visit: one rule, asked of a KIM (its page, the list's flag) and of the
queryset (the list's filter)."""

import datetime as dt

import pytest

from kim.register.models import Kim
from tests.factories import KimFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2019, 6, 1)
ACTIVE, INACTIVE, FORMING = Kim.Status.ACTIVE, Kim.Status.INACTIVE, Kim.Status.FORMING


def _days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("status", "last_visit_on", "founded_on", "overdue"),
    [
        (ACTIVE, _days_ago(90), None, False),  # the cadence's last day
        (ACTIVE, _days_ago(91), None, True),
        (ACTIVE, _days_ago(10), _days_ago(400), False),  # the last visit counts, not the founding
        (ACTIVE, None, _days_ago(90), False),  # never visited: counted from its founding
        (ACTIVE, None, _days_ago(91), True),
        (ACTIVE, None, None, True),  # nothing to count from
        (INACTIVE, _days_ago(400), None, False),  # only active KIMs are due
        (FORMING, None, None, False),
    ],
)
def test_a_kim_is_overdue_for_a_visit_the_same_way_alone_and_in_a_list(
    settings, status, last_visit_on, founded_on, overdue
):
    settings.KIM_VISIT_CADENCE_DAYS = 90
    kim = KimFactory(status=status, last_visit_on=last_visit_on, founded_on=founded_on)
    assert kim.visit_overdue(TODAY) is overdue
    assert Kim.objects.visit_overdue(TODAY).filter(pk=kim.pk).exists() is overdue


def test_a_visit_falls_due_the_cadence_after_the_last_visit_or_the_founding(settings):
    settings.KIM_VISIT_CADENCE_DAYS = 90
    assert Kim(last_visit_on=dt.date(2019, 3, 1)).visit_due_on == dt.date(2019, 5, 30)
    assert Kim(founded_on=dt.date(2019, 3, 1)).visit_due_on == dt.date(2019, 5, 30)
    assert Kim().visit_due_on is None


@pytest.mark.parametrize(("status", "active"), [(ACTIVE, True), (INACTIVE, False), (FORMING, False)])
def test_only_an_active_kim_is_active(status, active):
    assert Kim(status=status).is_active is active
