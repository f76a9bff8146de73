"""An account whose role was never chosen has no access at all; the first administrator gets a role."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from kim.accounts.forms import AccountForm
from kim.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_an_account_made_outside_the_account_pages_has_no_role(no_role):
    assert no_role.role == ""
    assert not no_role.has_role


def test_an_account_without_a_role_is_neither_staff_nor_head_nor_officer(no_role):
    predicates = (
        no_role.is_dinkominfo,
        no_role.is_staff_admin,
        no_role.is_village_head,
        no_role.is_opd_officer,
    )
    assert predicates == (False, False, False, False)


def test_every_role_the_app_knows_counts_as_a_role():
    assert all(User(role=role).has_role for role in Role.values)


def test_createsuperuser_makes_a_staff_administrator_who_can_open_the_app_and_django_admin(client):
    call_command("createsuperuser", interactive=False, username="pertama", email="pertama@example.com")
    first = User.objects.get(username="pertama")
    assert (first.role, first.is_superuser, first.is_staff) == (Role.STAFF_ADMIN, True, True)
    client.force_login(first)
    assert client.get(reverse("home:index")).status_code == 200
    assert client.get(reverse("accounts:list")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_role_given_to_create_superuser_is_kept():
    user = User.objects.create_superuser("bench-admin", role=Role.STAFF)
    assert user.role == Role.STAFF


def test_an_account_without_a_role_is_told_in_indonesian_to_ask_a_staff_administrator(client, no_role):
    client.force_login(no_role)
    response = client.get(reverse("home:index"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Akun Anda belum memiliki peran" in page
    assert "Minta admin staf Dinkominfo" in page


def test_an_account_without_a_role_is_offered_no_page_only_signing_out(client, no_role):
    client.force_login(no_role)
    page = client.get(reverse("home:index")).content.decode()
    for name in ("villages:list", "register:list", "outreach:session_list", "reminders:inbox"):
        assert f'href="{reverse(name)}"' not in page
    assert f'action="{reverse("logout")}"' in page


def test_an_account_without_a_role_is_neither_staff_nor_superuser_and_is_refused_django_admin(
    client, no_role
):
    assert (no_role.is_staff, no_role.is_superuser) == (False, False)
    client.force_login(no_role)
    assert client.get(reverse("admin:index")).status_code == 403


def test_an_account_without_a_role_may_still_sign_out(client, no_role):
    client.force_login(no_role)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_account_without_a_role_may_still_switch_the_language(client, no_role):
    client.force_login(no_role)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


def test_an_account_without_a_role_may_still_reach_the_health_check(client, no_role):
    client.force_login(no_role)
    assert client.get(reverse("home:health")).status_code == 200


def test_an_account_given_a_role_is_let_in_at_once(client, no_role):
    client.force_login(no_role)
    assert client.get(reverse("home:index")).status_code == 403
    User.objects.filter(pk=no_role.pk).update(role=Role.STAFF)
    assert client.get(reverse("home:index")).status_code == 200


def _account_data(**overrides) -> dict:
    return {
        "username": "baru",
        "first_name": "Baru",
        "email": "baru@example.com",
        "is_active": "on",
        **overrides,
    }


def test_the_account_form_offers_only_real_roles_to_choose_from():
    offered = [value for value, _label in AccountForm().fields["role"].choices if value]
    assert offered == Role.values


def test_the_account_form_refuses_an_account_without_a_role_and_says_why():
    for data in (_account_data(), _account_data(role="")):
        form = AccountForm(data)
        assert not form.is_valid()
        assert form.errors["role"] == [
            "Pilih peran akun ini: tanpa peran, akun tidak dapat membuka halaman apa pun."
        ]


def test_staff_admin_creating_an_account_without_a_role_sees_the_form_again(client, staff_admin):
    client.force_login(staff_admin)
    response = client.post(reverse("accounts:create"), _account_data())
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="baru").exists()


def test_staff_admin_gives_a_role_to_an_account_made_in_django_admin(client, staff_admin, no_role):
    client.force_login(staff_admin)
    data = _account_data(username=no_role.username, email=no_role.email, role=Role.STAFF)
    assert client.post(reverse("accounts:edit", args=[no_role.pk]), data).status_code == 302
    no_role.refresh_from_db()
    assert no_role.role == Role.STAFF
