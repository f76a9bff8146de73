import pytest
from django.urls import reverse

from tests.factories import ResourcePersonFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["session", "resourceperson", "topic", "followup", "sessionreport", "agency"]
)
def test_django_admin_lists_outreach_records_for_a_superuser(admin_client, model):
    SessionFactory()
    ResourcePersonFactory()
    assert admin_client.get(reverse(f"admin:outreach_{model}_changelist")).status_code == 200
