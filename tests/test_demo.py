import io

import pytest
from django.core.management import call_command

from kim.accounts.models import User
from kim.formation.models import Formation
from kim.lib.dates import current_year
from kim.lib.uploads import DOCUMENT_TYPES, FileCheck
from kim.register.models import Kim
from outreach.sessions.models import Session

pytestmark = pytest.mark.django_db


def _counts():
    return (User.objects.count(), Kim.objects.count(), Formation.objects.count(), Session.objects.count())


def test_demo_data_tells_the_story_from_2019_to_today_and_loads_twice_without_change(media):
    call_command("import_areas", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert Kim.objects.filter(is_sample=True, status="active").count() == 12
    selakambang = Formation.objects.get(target__village_id="33.03.04.2006", target__year=2019)
    assert (selakambang.step, selakambang.state) == ("active", "done")
    assert selakambang.kim.community_group.kind == "pkk"
    with selakambang.kim.sk_file.open("rb") as decree:
        FileCheck(DOCUMENT_TYPES)(decree)  # the check the decree form's upload passes: one readable page
    assert selakambang.confirmed_by.username == "kades.selakambang"
    assert {event.at.year for event in selakambang.events.all()} == {2019}
    waiting = Formation.objects.awaiting_confirmation().get()
    assert (waiting.target.village.name, waiting.target.year) == ("Tejasari", current_year())
    assert Formation.objects.get(target__village__name="Sempor Lor").step == "coordination"
    in_selakambang = Session.objects.filter(kim=selakambang.kim)
    assert set(in_selakambang.values_list("state", flat=True)) == {"confirmed", "proposed", "reported"}
    assert (
        in_selakambang.filter(topic__name="Penanggulangan stunting", resource_persons__isnull=False).count()
        == 3
    )
    assert Session.objects.filter(state="held", report__isnull=True).count() == 1
    assert {"admin", "staf", "pimpinan", "kades.selakambang", "kades.tejasari", "dinkes"} <= set(
        User.objects.values_list("username", flat=True)
    )
    assert "demo-kim-2019" in out.getvalue()
    before = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == before
