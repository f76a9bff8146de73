"""Django admin follows the app's role: staff administrators, and only they, reach it, from the first request
after their role changes, however it was changed."""

import pytest
from django.urls import reverse

from kim.accounts.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.STAFF_ADMIN, True), (Role.STAFF, False), (Role.VILLAGE_HEAD, False), (Role.OPD_OFFICER, False)],
)
def test_only_a_staff_administrator_is_staff_and_superuser(role, expected):
    assert (User(role=role).is_staff, User(role=role).is_superuser) == (expected, expected)


def test_an_account_made_in_the_shell_is_not_staff():
    user = User.objects.create_user("baru", "baru@example.com", "sandi-rahasia-123")
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_the_flags_cannot_be_set_apart_from_the_role():
    with pytest.raises(AttributeError):
        User.objects.create_user("baru", is_superuser=True)


def test_staff_admin_demoted_in_the_account_form_is_refused_django_admin_at_once(client, staff_admin):
    other_admin = User.objects.create_superuser("admin.lain", "admin.lain@example.com")
    client.force_login(staff_admin)
    assert client.get(reverse("admin:kim_member_changelist")).status_code == 200
    demotion = {
        "username": staff_admin.username,
        "email": staff_admin.email,
        "first_name": staff_admin.first_name,
        "role": Role.STAFF,
        "is_active": "on",
    }
    assert client.post(reverse("accounts:edit", args=[staff_admin.pk]), demotion).status_code == 302
    staff_admin.refresh_from_db()
    assert (staff_admin.is_staff, staff_admin.is_superuser) == (False, False)
    for name in ("admin:index", "admin:kim_user_changelist", "admin:kim_member_changelist"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("admin:kim_user_change", args=[other_admin.pk])).status_code == 403


def test_a_role_changed_behind_the_forms_back_moves_django_admin_with_it(client, staff):
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 403
    User.objects.filter(pk=staff.pk).update(role=Role.STAFF_ADMIN)
    assert client.get(reverse("admin:index")).status_code == 200
    User.objects.filter(pk=staff.pk).update(role=Role.STAFF)
    assert client.get(reverse("admin:index")).status_code == 403


def test_a_signed_in_account_refused_django_admin_is_not_offered_its_sign_in_form(client, head):
    client.force_login(head)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 403
    assert "password" not in response.content.decode()


def test_a_visitor_is_sent_to_the_apps_own_sign_in_page(client):
    response = client.get(reverse("admin:kim_user_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_staff_administrator_edits_an_account_in_django_admin(client, staff_admin, head):
    client.force_login(staff_admin)
    page = client.get(reverse("admin:kim_user_change", args=[head.pk]))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
