import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kim.register.models import Kim
from tests.factories import AgencyFactory, KimFactory, SessionFactory, VillageFactory

pytestmark = pytest.mark.django_db


def _soon(days):
    return timezone.now() + dt.timedelta(days=days)


@pytest.fixture
def sessions(village, agency):
    own_kim = KimFactory(village=village, status=Kim.Status.ACTIVE)
    return {
        "own": SessionFactory(
            title="Stunting di desa sendiri", kim=own_kim, agency=agency, starts_at=_soon(3)
        ),
        "other": SessionFactory(
            title="Di desa lain",
            kim=KimFactory(village=VillageFactory()),
            agency=AgencyFactory(),
            starts_at=_soon(4),
        ),
        "far": SessionFactory(title="Terlalu jauh", kim=own_kim, agency=agency, starts_at=_soon(45)),
    }


def _titles(response, key):
    return [session.title for session in response.context[key]]


def test_village_head_home_lists_sessions_waiting_for_their_answer(client, head, sessions):
    client.force_login(head)
    response = client.get(reverse("home:index"))
    # Every proposal waits for an answer, however far ahead; the coming sessions look 30 days ahead.
    assert _titles(response, "sessions_to_confirm") == ["Stunting di desa sendiri", "Terlalu jauh"]
    assert _titles(response, "upcoming_sessions") == ["Stunting di desa sendiri"]


def test_officer_home_lists_their_agencys_coming_sessions(client, officer, sessions):
    client.force_login(officer)
    response = client.get(reverse("home:index"))
    assert _titles(response, "upcoming_sessions") == ["Stunting di desa sendiri"]
    assert _titles(response, "sessions_to_confirm") == []


def test_staff_home_lists_every_coming_session(client, staff, sessions):
    client.force_login(staff)
    assert _titles(client.get(reverse("home:index")), "upcoming_sessions") == [
        "Stunting di desa sendiri",
        "Di desa lain",
    ]


def test_head_of_another_village_sees_none_of_them(client, stranger, sessions):
    client.force_login(stranger)
    response = client.get(reverse("home:index"))
    assert _titles(response, "upcoming_sessions") == [] and _titles(response, "sessions_to_confirm") == []


def test_officer_home_lists_the_reports_they_still_owe(client, officer, village, agency):
    kim = KimFactory(village=village, status=Kim.Status.ACTIVE)
    SessionFactory(
        title="Sudah lewat, belum ditandai", kim=kim, agency=agency, state="confirmed", starts_at=_soon(-3)
    )
    SessionFactory(
        title="Terlaksana, laporan belum", kim=kim, agency=agency, state="held", starts_at=_soon(-2)
    )
    SessionFactory(title="Sudah dilaporkan", kim=kim, agency=agency, state="reported", starts_at=_soon(-5))
    SessionFactory(title="OPD lain", kim=kim, agency=AgencyFactory(), state="held", starts_at=_soon(-2))
    client.force_login(officer)
    response = client.get(reverse("home:index"))
    assert _titles(response, "reports_owed") == ["Sudah lewat, belum ditandai", "Terlaksana, laporan belum"]


def test_a_village_head_owes_no_reports(client, head, village, agency):
    SessionFactory(
        kim=KimFactory(village=village, status=Kim.Status.ACTIVE),
        agency=agency,
        state="held",
        starts_at=_soon(-2),
    )
    client.force_login(head)
    assert _titles(client.get(reverse("home:index")), "reports_owed") == []


def test_the_home_view_never_shows_the_staff_home_to_an_account_without_a_role(rf):
    """Even past RoleRequiredMiddleware (the view called directly), no role is not the staff's role."""
    from django.core.exceptions import PermissionDenied

    from kim.accounts.models import User
    from kim.home.views import home

    request = rf.get(reverse("home:index"))
    request.user = User.objects.create_user("tanpa.peran")
    with pytest.raises(PermissionDenied):
        home(request)
