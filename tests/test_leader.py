"""Pimpinan (Kepala Dinas, Sekretaris, Kabid IKP): an account that reads what staff read and changes nothing.

The permission matrix (tests/test_permissions.py) holds the leader's status on every page; here, how the
account is made, where it lands, what it sees, and the second guard that refuses any write a view forgot."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.views import LogoutView
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from kim.accounts.access import RoleRequiredMiddleware, leader_may_post
from kim.accounts.models import Role, User
from tests.factories import KimFactory
from tests.html_links import posts_to_itself

pytestmark = pytest.mark.django_db


def test_a_staff_admin_creates_a_leader_account_bound_to_no_village_and_no_agency(
    client, staff_admin, village, agency, settings
):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff_admin)
    response = client.post(
        reverse("accounts:create"),
        {
            "username": "kabid.ikp",
            "first_name": "Kabid IKP",
            "email": "kabid@example.com",
            "role": Role.LEADER,
            # Sent by a form filled in for another role first: not kept for a leader.
            "village": village.pk,
            "agency": agency.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    leader = User.objects.get(username="kabid.ikp")
    assert (leader.role, leader.village, leader.agency) == (Role.LEADER, None, None)
    assert (leader.is_leader, leader.reads_programme, leader.is_dinkominfo) == (True, True, False)


def test_a_leader_is_no_django_admin(leader):
    assert (leader.is_staff, leader.is_superuser) == (False, False)


def test_a_leader_lands_on_the_dashboard(client, leader):
    client.force_login(leader)
    response = client.get(reverse("home:index"))
    assert response.status_code == 302
    assert response.url == reverse("dashboard:index")
    assert client.get(response.url).status_code == 200


def test_a_leader_reads_a_kim_and_its_members_personal_details_without_an_edit_button(client, leader, kim):
    kim.sk_number = "141/12/2019"
    kim.save()
    client.force_login(leader)
    response = client.get(reverse("register:detail", args=[kim.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["can_see_personal"] is True
    assert (response.context["can_edit"], response.context["can_edit_members"]) == (False, False)
    assert reverse("register:edit", args=[kim.pk]) not in page
    assert reverse("register:member_create", args=[kim.pk]) not in page
    assert reverse("mentoring:visit_create", args=[kim.pk]) not in page


def test_a_leader_sees_the_staff_menu_of_reading_pages_but_not_the_forms(client, leader):
    client.force_login(leader)
    page = client.get(reverse("villages:list")).content.decode()
    for name in ("outreach:agency_list", "reminders:rules", "audit:list", "reminders:whatsapp_queue"):
        assert f'href="{reverse(name)}"' in page, name
    assert reverse("villages:status_upload") not in page
    assert reverse("accounts:list") not in page


def test_the_targets_page_shows_a_leader_the_suggestions_without_the_form_to_target_them(
    client, leader, staff
):
    url = reverse("formation:target_list", args=[2019])
    client.force_login(leader)
    assert not posts_to_itself(client.get(url))
    client.force_login(staff)
    assert posts_to_itself(client.get(url))


# The second guard: RoleRequiredMiddleware refuses a leader any request that could change something, even
# to a view that forgot to refuse it.
def _plain_view(request):
    raise AssertionError("never reached")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_leader_is_refused_every_write_even_to_a_view_that_forgot_to_refuse_it(leader, method):
    request = getattr(RequestFactory(), method)("/anything/")
    request.user = leader
    with pytest.raises(PermissionDenied):
        RoleRequiredMiddleware(lambda r: None).process_view(request, _plain_view, (), {})


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_a_leader_reads_through_the_second_guard(leader, method):
    request = getattr(RequestFactory(), method)("/anything/")
    request.user = leader
    assert RoleRequiredMiddleware(lambda r: None).process_view(request, _plain_view, (), {}) is None


def test_the_second_guard_lets_a_leader_post_to_a_marked_view_and_sign_out(leader):
    request = RequestFactory().post("/anything/")
    request.user = leader
    middleware = RoleRequiredMiddleware(lambda r: None)
    assert middleware.process_view(request, leader_may_post(lambda r: None), (), {}) is None
    assert middleware.process_view(request, LogoutView.as_view(), (), {}) is None


def test_the_second_guard_leaves_staff_writes_to_the_views(staff):
    request = RequestFactory().post("/anything/")
    request.user = staff
    assert RoleRequiredMiddleware(lambda r: None).process_view(request, _plain_view, (), {}) is None


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("password_change", {}),
        ("reminders:notification_settings", {"notify_by_email": "on"}),
        ("reminders:inbox_read_all", {}),
        ("outreach:calendar_renew", {}),
        ("set_language", {"language": "en", "next": "/"}),
        ("logout", {}),
    ],
)
def test_a_leader_keeps_their_own_account_settings(client, leader, name, data):
    """What a leader may change: their password, notification choices, calendar link, read marks, the
    language, and signing out; none of it is a record of the programme."""
    client.force_login(leader)
    assert client.post(reverse(name), data).status_code in {200, 302}


def test_a_leader_changes_no_kim_even_with_a_hand_made_post(client, leader, village):
    kim = KimFactory(village=village, name="KIM Selakambang")
    client.force_login(leader)
    response = client.post(reverse("register:edit", args=[kim.pk]), {"name": "Diubah"})
    assert response.status_code == 403
    kim.refresh_from_db()
    assert kim.name == "KIM Selakambang"


TEMPLATE_ROLE = re.compile(
    r"\{%[^%]*\b(user\.role|is_dinkominfo|is_staff_admin|is_village_head|is_opd_officer|is_leader|"
    r"reads_programme)\b"
)


def test_no_template_restates_a_role():
    """Templates ask the ability flags (`can.run_programme`, `can.read_programme`) or a view's own flags
    (`can_edit`), never the person's role: so a leader, who reads but does not change, is shown no button
    because of a role a template forgot."""
    templates = Path(settings.BASE_DIR) / "templates"
    restating = [
        f"{path.relative_to(templates)}:{number}"
        for path in templates.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if TEMPLATE_ROLE.search(line)
    ]
    assert restating == []
