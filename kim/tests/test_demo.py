import io

import pytest
from django.core.management import call_command

from kim.models import Formation, Kim, User
from outreach.models import Session

pytestmark = pytest.mark.django_db


def _counts():
    return (User.objects.count(), Kim.objects.count(), Formation.objects.count(), Session.objects.count())


def test_demo_data_tells_the_2019_story_and_loads_twice_without_change():
    call_command("import_areas", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert Kim.objects.filter(is_sample=True, status="active").count() == 12
    selakambang = Formation.objects.get(target__village_id="33.03.04.2006", target__year=2019)
    assert selakambang.step == "coordination"
    assert Formation.objects.awaiting_confirmation().get().target.village.name == "Tejasari"
    assert {"admin", "staf", "kades.selakambang", "kades.tejasari", "dinkes"} <= set(
        User.objects.values_list("username", flat=True)
    )
    assert "demo-kim-2019" in out.getvalue()
    before = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == before
