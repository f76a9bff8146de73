"""The session list's filters: a filter that cannot narrow a person's scope is not offered, nor read."""

import pytest

from outreach.sessions.filters import SessionFilter
from outreach.sessions.models import Session
from tests.factories import SessionFactory


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "left_out"), [("head", "kecamatan"), ("officer", "agency")])
def test_a_filter_left_out_for_a_role_is_neither_offered_nor_read(request, kim, agency, persona, left_out):
    SessionFactory(kim=kim, agency=agency)
    data = {"agency": str(agency.pk), "kecamatan": kim.village.district_id, "state": "proposed"}
    sessions = SessionFilter(data, queryset=Session.objects.all(), user=request.getfixturevalue(persona))
    assert left_out not in sessions.form.fields
    assert sessions.qs.count() == 1  # the bound form holds no value for a filter that is gone


@pytest.mark.django_db
def test_staff_are_offered_every_session_filter(staff):
    assert set(SessionFilter(None, user=staff).form.fields) >= {"agency", "kecamatan"}
