"""Every form, fed whatever hypothesis makes up: never a server error, and a refused form saves nothing."""

import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kim.models import User
from outreach.models import Agency
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
    _post_and_check(signed_in, reverse("account_create"), data)


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
    for name in ("villages:list", "villages:map_data", "villages:export_csv"):
        response = signed_in.get(reverse(name), params)
        assert response.status_code == 200
