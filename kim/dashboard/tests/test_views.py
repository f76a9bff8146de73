import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:index")


@pytest.mark.parametrize("persona", ["staff", "staff_admin", "leader"])
def test_staff_and_leaders_open_the_dashboard(client_for, request, persona):
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    assert response.context["figures"].district == ""


@pytest.mark.parametrize("persona", ["head", "officer"])
def test_village_heads_and_officers_may_not_open_the_dashboard(client_for, request, persona):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_the_dashboard_answers_only_get(client_for, staff):
    assert client_for(staff).post(URL).status_code == 405
