"""Every form, fed whatever hypothesis makes up: never a server error, and a refused form saves nothing."""

import datetime as dt
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kim.accounts.models import User
from kim.formation.models import Formation, FormationEvent, Target
from kim.lib.middleware import has_control_characters
from kim.register.models import DevelopmentLevel, Kim, Member
from outreach.directory.models import Agency
from villages.models import CommunityGroup, Village, VillageChange, VillageYear

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that breaks naive code: NUL and control characters, right-to-left marks, huge strings, SQL, HTML.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "'; DROP TABLE villages_village; --",
        "<script>alert(1)</script>",
        "\u202e",
        "\uff19\uff19",  # full-width digits
        "-1",
        "0" * 400,
        "33.03.04.2006",
        "+62812345678901234",
        "08123456789",
        "2019",
        "abc@",
        "x" * 5000,
    ]
)
TEXT = st.one_of(st.text(max_size=300), NASTY)


def _form_data(fields, valid):
    """Each field: nothing, a made-up string, or a plausible value."""
    return st.fixed_dictionaries(
        {}, optional={name: st.one_of(TEXT, st.sampled_from(valid.get(name, [""]))) for name in fields}
    )


def _snapshot():
    return (
        list(Village.objects.values_list("code", "head_name", "head_phone", "office_address")),
        list(
            VillageYear.objects.values_list(
                "village", "year", "is_red_zone", "red_zone_decree", "mentor_agency"
            )
        ),
        list(
            CommunityGroup.objects.values_list("id", "name", "kind", "contact_name", "contact_phone", "notes")
        ),
        VillageChange.objects.count(),
        list(User.objects.values_list("id", "username", "email", "role", "village", "agency", "is_active")),
        list(Agency.objects.values_list("id", "name", "short_name", "kind", "phone", "email", "is_active")),
        list(
            Kim.objects.values_list(
                "id", "name", "status", "origin", "sk_number", "sk_file", "whatsapp_group"
            )
        ),
        list(Member.objects.values_list("id", "name", "position", "phone", "nik", "left_on", "term_end")),
        list(
            Formation.objects.values_list(
                "id", "state", "step", "confirmation", "coordinated_on", "meeting_on"
            )
        ),
        FormationEvent.objects.count(),
        Target.objects.count(),
        DevelopmentLevel.objects.count(),
    )


def _post_and_check(client, url, data, files=None):
    before = _snapshot()
    response = client.post(url, {**data, **(files or {})})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert _snapshot() == before, "a refused form changed the database"
    return response


@pytest.fixture
def signed_in(client, staff_admin, village, agency, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff_admin)
    return client


@pytest.mark.django_db
@EXAMPLES
@given(data=_form_data(["head_name", "head_phone", "office_address"], {"head_phone": ["0812 3456 7890"]}))
def test_contacts_form_survives_any_input(signed_in, village, data):
    _post_and_check(signed_in, reverse("villages:contacts_edit", args=[village.pk]), data)


@pytest.mark.django_db
@EXAMPLES
@given(
    data=_form_data(["name", "kind", "contact_name", "contact_phone", "notes"], {"kind": ["pkk", "posyandu"]})
)
def test_group_form_survives_any_input(signed_in, village, data):
    _post_and_check(signed_in, reverse("villages:group_create", args=[village.pk]), data)


@pytest.mark.django_db
@EXAMPLES
@given(
    data=_form_data(
        ["is_red_zone", "red_zone_decree", "mentor_agency"], {"is_red_zone": ["on"], "mentor_agency": ["1"]}
    ),
    year=st.integers(min_value=0, max_value=99999),
)
def test_year_status_form_survives_any_input(signed_in, village, data, year):
    _post_and_check(signed_in, reverse("villages:year_edit", args=[village.pk, year]), data)


@pytest.mark.django_db
@EXAMPLES
@given(
    data=_form_data(
        ["action", "decree", "agency", "villages"],
        {"action": ["mark", "unmark", "mentor", "clear_mentor"], "villages": ["33.03.04.2006"]},
    )
)
def test_bulk_status_form_survives_any_input(signed_in, data):
    _post_and_check(signed_in, reverse("villages:status_bulk", args=[2019]), data)


@pytest.mark.django_db
@EXAMPLES
@given(
    data=_form_data(["year", "decree", "replace"], {"year": ["2019"], "decree": ["SK 1/2019"]}),
    content=st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode)),
)
def test_status_upload_survives_any_file(signed_in, data, content):
    upload = io.BytesIO(content)
    upload.name = "zona.csv"
    response = _post_and_check(signed_in, reverse("villages:status_upload"), data, {"file": upload})
    assert response.status_code == 200


@pytest.mark.django_db
@EXAMPLES
@given(token=TEXT)
def test_upload_confirmation_survives_any_token(signed_in, token):
    _post_and_check(signed_in, reverse("villages:status_upload_confirm"), {"token": token})


@pytest.mark.django_db
@EXAMPLES
@given(
    data=_form_data(
        ["username", "first_name", "last_name", "email", "phone", "role", "village", "agency", "is_active"],
        {"role": ["staff", "village_head", "opd_officer"], "village": ["33.03.04.2006"], "email": ["a@b.id"]},
    )
)
def test_account_form_survives_any_input(signed_in, data):
    _post_and_check(signed_in, reverse("accounts:create"), data)


@pytest.mark.django_db
@EXAMPLES
@given(data=_form_data(["name", "short_name", "kind", "phone", "email", "is_active"], {"kind": ["dinas"]}))
def test_agency_form_survives_any_input(signed_in, data):
    _post_and_check(signed_in, reverse("outreach:agency_create"), data)


@pytest.mark.django_db
@EXAMPLES
@given(data=_form_data(["old_password", "new_password1", "new_password2"], {}))
def test_password_change_survives_any_input(signed_in, data):
    _post_and_check(signed_in, reverse("password_change"), data)


@pytest.mark.django_db
@EXAMPLES
@given(data=_form_data(["username", "password"], {"username": ["admin"]}), address=st.ip_addresses(v=4))
def test_sign_in_survives_any_input(client, staff_admin, data, address):
    response = client.post(reverse("login"), data, REMOTE_ADDR=str(address))
    assert response.status_code in (200, 302, 429)


@pytest.mark.django_db
@EXAMPLES
@given(data=_form_data(["email"], {"email": ["admin@example.com"]}))
def test_password_reset_survives_any_input(client, staff_admin, data):
    response = client.post(reverse("password_reset"), data)
    assert response.status_code in (200, 302)


@pytest.mark.django_db
@EXAMPLES
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "district", "kind", "year", "red_zone", "mentor", "has_kim", "page"]), TEXT
    )
)
def test_village_list_and_exports_survive_any_filter(signed_in, params):
    # A control character in the query string is a 404 before any view runs (kim.lib.middleware).
    expected = 404 if any(has_control_characters(value) for value in params.values()) else 200
    for name in ("villages:list", "villages:map_data"):
        response = signed_in.get(reverse(name), params)
        assert response.status_code == expected
    # The download button carries the same filters: the export is asked for (or refused with a message).
    response = signed_in.post(f"{reverse('downloads:start', args=['villages', 'csv'])}?{urlencode(params)}")
    assert response.status_code == (expected if expected == 404 else 302)


@pytest.fixture
def formation_at_meeting(signed_in, village, staff_admin):
    """A formation of `village` waiting for its head, and the KIM being formed."""
    from kim.formation import services

    target = services.target_set(year=2019, villages=[village], actor=staff_admin)[0]
    day = dt.date(2019, 2, 1)
    formation = services.formation_record_coordination(
        formation=target.formation, actor=staff_admin, coordinated_on=day, notes=""
    )
    formation = services.formation_choose_path(
        formation=formation, actor=staff_admin, origin="new", community_group=None, name="KIM"
    )
    officers = [{"name": "Ketua", "position": "ketua", "phone": "", "gender": ""}]
    return services.formation_record_meeting(
        formation=formation, actor=staff_admin, meeting_on=day, notes="", officers=officers
    )


STEP_FIELDS = {
    "coordination": ["coordinated_on", "notes"],
    "path": ["origin", "community_group", "name"],
    "meeting": [
        "meeting_on",
        "meeting_place",
        "meeting_chair",
        "meeting_note_taker",
        "meeting_attendance_men",
        "meeting_attendance_women",
        "notes",
        "officers-TOTAL_FORMS",
        "officers-INITIAL_FORMS",
        "officers-0-name",
        "officers-0-position",
        "officers-0-phone",
    ],
    "decree": ["sk_issuer", "sk_number", "sk_date"],
    "briefing": ["briefed_on", "notes"],
}
PLAUSIBLE = {
    "coordinated_on": ["2019-01-14", "14-01-2019"],
    "meeting_on": ["2019-02-04"],
    "meeting_attendance_men": ["0", "21", "-1", "5001"],
    "sk_date": ["2019-02-11"],
    "briefed_on": ["2019-02-25"],
    "origin": ["new", "adopted"],
    "sk_issuer": ["kepala_desa"],
    "officers-TOTAL_FORMS": ["1", "2", "1000000"],
    "officers-INITIAL_FORMS": ["0"],
    "officers-0-position": ["ketua", "anggota"],
}


@pytest.mark.django_db
@EXAMPLES
@given(step=st.sampled_from(list(STEP_FIELDS)), data=st.data())
def test_formation_step_forms_survive_any_input(
    signed_in, formation_at_meeting, step, data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    values = data.draw(_form_data(STEP_FIELDS[step], PLAUSIBLE))
    _post_and_check(signed_in, reverse("formation:step", args=[formation_at_meeting.pk, step]), values)


@pytest.mark.django_db
@EXAMPLES
@given(data=_form_data(["answer", "reason"], {"answer": ["confirm", "return"]}))
def test_village_head_answer_survives_any_input(client, formation_at_meeting, village, data):
    from kim.accounts.models import Role
    from tests.factories import UserFactory

    head = User.objects.filter(village=village).first() or UserFactory(
        role=Role.VILLAGE_HEAD, village=village
    )
    client.force_login(head)
    response = client.post(reverse("formation:answer", args=[formation_at_meeting.pk]), data)
    assert response.status_code in (200, 302)


@pytest.mark.django_db
@EXAMPLES
@given(
    data=_form_data(
        ["name", "position", "section", "phone", "nik", "gender", "term_start", "term_end"],
        {"position": ["ketua", "anggota"], "nik": ["3303045509900001"], "term_start": ["2019-01-01"]},
    )
)
def test_member_form_survives_any_input(signed_in, village, data):
    from tests.factories import KimFactory, MemberFactory

    kim = Kim.objects.filter(village=village).first() or KimFactory(village=village)
    if not kim.members.exists():
        MemberFactory(kim=kim, position="ketua")
    _post_and_check(signed_in, reverse("register:member_create", args=[kim.pk]), data)


@pytest.mark.django_db
@EXAMPLES
@given(
    data=_form_data(
        [
            "name",
            "status",
            "level",
            "founded_on",
            "sk_issuer",
            "sk_number",
            "sk_date",
            "kimid_number",
            "website",
            "social_media",
            "whatsapp_group",
        ],
        {
            "status": ["active", "inactive"],
            "website": ["https://kim.id"],
            "whatsapp_group": ["https://chat.whatsapp.com/x"],
        },
    )
)
def test_kim_form_survives_any_input(signed_in, village, data):
    from tests.factories import KimFactory

    kim = Kim.objects.filter(village=village).first() or KimFactory(village=village)
    _post_and_check(signed_in, reverse("register:edit", args=[kim.pk]), data)


@pytest.mark.django_db
@EXAMPLES
@given(
    data=_form_data(
        [
            "village",
            "name",
            "origin",
            "community_group",
            "status",
            "founded_on",
            "sk_number",
            "officers-TOTAL_FORMS",
            "officers-INITIAL_FORMS",
            "officers-0-name",
            "officers-0-position",
        ],
        {**PLAUSIBLE, "village": ["33.03.04.2006"], "status": ["active"], "founded_on": ["2013-05-02"]},
    )
)
def test_existing_kim_form_survives_any_input(signed_in, data):
    _post_and_check(signed_in, reverse("formation:record_existing"), data)


@pytest.mark.django_db
@EXAMPLES
@given(
    data=_form_data(["villages"], {"villages": ["33.03.04.2006", "99"]}),
    year=st.integers(min_value=0, max_value=9999),
)
def test_target_form_survives_any_input(signed_in, data, year):
    _post_and_check(signed_in, reverse("formation:target_list", args=[year]), data)
