import pytest
from django.urls import reverse

from outreach.directory.models import ResourcePerson, Topic
from tests.factories import AgencyFactory, ResourcePersonFactory, TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def stunting(db):
    return TopicFactory(name="Penanggulangan stunting")


@pytest.fixture
def dr_ani(agency, stunting):
    person = ResourcePersonFactory(name="dr. Ani Rahmawati", agency=agency, phone="+6281234567890")
    person.topics.add(stunting)
    return person


@pytest.fixture
def bappeda_person(db):
    return ResourcePersonFactory(name="Ir. Budi Santoso", agency=AgencyFactory(short_name="Bappelitbangda"))


def _names(response) -> list[str]:
    return [person.name for person in response.context["page"]]


def _person_data(**overrides) -> dict:
    return {
        "name": "Siti Nurjanah",
        "agency": "",
        "sector": "",
        "phone": "0812-3456-7891",
        "email": "siti@example.com",
        "is_active": "on",
        **overrides,
    }


# Topics


def test_staff_see_topics_in_use_first(client_for, staff):
    TopicFactory(name="Adminduk", is_active=False)
    TopicFactory(name="Penanggulangan stunting")
    response = client_for(staff).get(reverse("outreach:topic_list"))
    assert response.status_code == 200
    assert [topic.name for topic in response.context["topics"]] == ["Penanggulangan stunting", "Adminduk"]


@pytest.mark.parametrize("persona", ["officer", "head", "stranger"])
def test_only_staff_open_the_topic_list(client_for, request, persona):
    assert client_for(request.getfixturevalue(persona)).get(reverse("outreach:topic_list")).status_code == 403


def test_the_topic_list_asks_sign_in(client):
    response = client.get(reverse("outreach:topic_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_staff_add_a_topic_with_its_spaces_tidied(client_for, staff_admin):
    response = client_for(staff_admin).post(
        reverse("outreach:topic_create"), {"name": "  Pencegahan   DBD ", "is_active": "on"}
    )
    assert response.status_code == 302
    assert Topic.objects.get().name == "Pencegahan DBD"


def test_a_topic_cannot_be_added_twice_in_another_case(client_for, staff, stunting):
    response = client_for(staff).post(
        reverse("outreach:topic_create"), {"name": "PENANGGULANGAN STUNTING", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "already on the list" in response.context["form"].errors["name"][0]
    assert Topic.objects.count() == 1


def test_staff_retire_a_topic(client_for, staff, stunting):
    response = client_for(staff).post(
        reverse("outreach:topic_edit", args=[stunting.pk]), {"name": stunting.name}
    )
    assert response.status_code == 302
    stunting.refresh_from_db()
    assert stunting.is_active is False


@pytest.mark.parametrize("persona", ["officer", "head"])
def test_others_cannot_add_or_change_topics(client_for, request, persona, stunting):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(reverse("outreach:topic_create"), {"name": "Baru"}).status_code == 403
    assert (
        client.post(reverse("outreach:topic_edit", args=[stunting.pk]), {"name": "Lain"}).status_code == 403
    )
    assert list(Topic.objects.values_list("name", flat=True)) == ["Penanggulangan stunting"]


def test_editing_a_missing_topic_is_a_404(client_for, staff):
    assert client_for(staff).get(reverse("outreach:topic_edit", args=[999])).status_code == 404


def test_the_topic_list_answers_only_get(client_for, staff):
    assert client_for(staff).post(reverse("outreach:topic_list")).status_code == 405
    assert client_for(staff).delete(reverse("outreach:topic_create")).status_code == 405


@pytest.mark.parametrize("count", [3, 100])
def test_the_topic_list_runs_a_fixed_number_of_queries(client_for, staff, django_assert_num_queries, count):
    Topic.objects.bulk_create(Topic(name=f"Topik {n:03d}") for n in range(count))
    client = client_for(staff)
    # user, the navbar's counts, topics (the session comes from the cache)
    with django_assert_num_queries(3):
        response = client.get(reverse("outreach:topic_list"))
    assert len(response.context["topics"]) == count


# The directory


@pytest.mark.parametrize("persona", ["staff", "staff_admin", "officer"])
def test_staff_and_agency_officers_read_the_whole_directory(
    client_for, request, persona, dr_ani, bappeda_person
):
    response = client_for(request.getfixturevalue(persona)).get(reverse("outreach:resource_person_list"))
    assert response.status_code == 200
    assert _names(response) == ["dr. Ani Rahmawati", "Ir. Budi Santoso"]


@pytest.mark.parametrize("persona", ["head", "stranger"])
def test_village_heads_cannot_read_the_directory(client_for, request, persona, dr_ani):
    response = client_for(request.getfixturevalue(persona)).get(reverse("outreach:resource_person_list"))
    assert response.status_code == 403


def test_the_directory_asks_sign_in(client, dr_ani):
    response = client.get(reverse("outreach:resource_person_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_directory_shows_topics_and_a_whatsapp_link(client_for, officer, dr_ani):
    response = client_for(officer).get(reverse("outreach:resource_person_list"))
    assert b"Penanggulangan stunting" in response.content
    assert b'href="https://wa.me/6281234567890"' in response.content


def test_the_directory_filters_by_agency(client_for, staff, agency, dr_ani, bappeda_person):
    ResourcePersonFactory(name="Ustadz Karim", agency=None, sector="Kementerian Agama")
    client = client_for(staff)
    assert _names(client.get(reverse("outreach:resource_person_list"), {"agency": agency.pk})) == [
        "dr. Ani Rahmawati"
    ]
    assert _names(client.get(reverse("outreach:resource_person_list"), {"agency": "none"})) == [
        "Ustadz Karim"
    ]


def test_the_directory_filters_by_topic_listing_each_person_once(client_for, staff, stunting, dr_ani):
    dr_ani.topics.add(TopicFactory(name="Gizi balita"))
    ResourcePersonFactory(name="Tanpa topik")
    response = client_for(staff).get(reverse("outreach:resource_person_list"), {"topic": stunting.pk})
    assert _names(response) == ["dr. Ani Rahmawati"]


def test_the_directory_searches_by_name(client_for, staff, dr_ani, bappeda_person):
    response = client_for(staff).get(reverse("outreach:resource_person_list"), {"q": " budi "})
    assert _names(response) == ["Ir. Budi Santoso"]


def test_an_unknown_agency_in_the_filter_is_marked_on_its_field(client_for, staff, dr_ani):
    response = client_for(staff).get(reverse("outreach:resource_person_list"), {"agency": "99999"})
    assert response.status_code == 200
    assert "agency" in response.context["filter"].form.errors


def test_the_directory_is_paginated_by_name(client_for, staff, agency):
    ResourcePerson.objects.bulk_create(
        ResourcePerson(name=f"Narasumber {n:02d}", agency=agency) for n in range(30)
    )
    response = client_for(staff).get(reverse("outreach:resource_person_list"), {"page": 2})
    assert _names(response) == [f"Narasumber {n:02d}" for n in range(25, 30)]


def test_officers_get_edit_links_only_for_their_own_agency(client_for, officer, dr_ani, bappeda_person):
    response = client_for(officer).get(reverse("outreach:resource_person_list"))
    assert [person.can_edit for person in response.context["page"]] == [True, False]
    assert reverse("outreach:resource_person_edit", args=[bappeda_person.pk]).encode() not in response.content


@pytest.mark.parametrize("count", [3, 100])
def test_the_directory_runs_a_fixed_number_of_queries(client_for, staff, django_assert_num_queries, count):
    topics = Topic.objects.bulk_create(Topic(name=f"Topik {n}") for n in range(4))
    agencies = [AgencyFactory() for _ in range(3)]
    persons = ResourcePerson.objects.bulk_create(
        ResourcePerson(name=f"Narasumber {n:03d}", agency=agencies[n % 3], phone="+6281234567890")
        for n in range(count)
    )
    ResourcePerson.topics.through.objects.bulk_create(
        ResourcePerson.topics.through(resourceperson=person, topic=topic)
        for person in persons
        for topic in topics
    )
    client = client_for(staff)
    # user, the navbar's counts, count, rows with their agency, their topics, agency choices, topic choices
    with django_assert_num_queries(7):
        response = client.get(reverse("outreach:resource_person_list"), {"page": 1 if count == 3 else 2})
    assert len(response.context["page"]) == (3 if count == 3 else 25)
    with django_assert_num_queries(7):
        client.get(
            reverse("outreach:resource_person_list"),
            {"q": "Narasumber", "agency": agencies[0].pk, "topic": topics[0].pk},
        )


def test_the_directory_answers_only_get(client_for, staff):
    assert client_for(staff).post(reverse("outreach:resource_person_list")).status_code == 405


# Adding and changing resource persons


def test_staff_add_a_resource_person_of_any_agency_with_the_phone_normalised(
    client_for, staff, stunting, bappeda_person
):
    data = _person_data(agency=bappeda_person.agency_id, topics=[stunting.pk])
    response = client_for(staff).post(reverse("outreach:resource_person_create"), data)
    assert response.status_code == 302
    person = ResourcePerson.objects.get(name="Siti Nurjanah")
    assert person.agency_id == bappeda_person.agency_id
    assert person.phone == "+6281234567891"
    assert person.whatsapp_url == "https://wa.me/6281234567891"
    assert list(person.topics.all()) == [stunting]


def test_staff_add_a_resource_person_from_another_sector(client_for, staff):
    response = client_for(staff).post(
        reverse("outreach:resource_person_create"), _person_data(sector="Universitas Jenderal Soedirman")
    )
    assert response.status_code == 302
    assert ResourcePerson.objects.get().agency is None


def test_a_resource_person_needs_an_agency_or_a_sector(client_for, staff):
    response = client_for(staff).post(reverse("outreach:resource_person_create"), _person_data())
    assert response.status_code == 200
    assert "sector" in response.context["form"].errors
    assert not ResourcePerson.objects.exists()


def test_a_phone_that_is_no_indonesian_mobile_is_refused(client_for, staff, agency):
    data = _person_data(agency=agency.pk, phone="021-555-1234")
    response = client_for(staff).post(reverse("outreach:resource_person_create"), data)
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert not ResourcePerson.objects.exists()


def test_an_officer_adds_a_resource_person_to_their_own_agency_whatever_is_posted(
    client_for, officer, agency, bappeda_person
):
    data = _person_data(agency=bappeda_person.agency_id)
    response = client_for(officer).post(reverse("outreach:resource_person_create"), data)
    assert response.status_code == 302
    assert ResourcePerson.objects.get(name="Siti Nurjanah").agency == agency


def test_the_officers_form_shows_their_agency_fixed(client_for, officer, agency):
    response = client_for(officer).get(reverse("outreach:resource_person_create"))
    field = response.context["form"].fields["agency"]
    assert field.disabled
    assert list(field.queryset) == [agency]


def test_an_officer_edits_their_own_agencys_resource_person(client_for, officer, agency, dr_ani):
    data = _person_data(name="dr. Ani Rahmawati, M.Gizi", agency=agency.pk, is_active="")
    response = client_for(officer).post(reverse("outreach:resource_person_edit", args=[dr_ani.pk]), data)
    assert response.status_code == 302
    dr_ani.refresh_from_db()
    assert (dr_ani.name, dr_ani.is_active, dr_ani.agency) == ("dr. Ani Rahmawati, M.Gizi", False, agency)


def test_an_officer_cannot_move_their_resource_person_to_another_agency(
    client_for, officer, agency, dr_ani, bappeda_person
):
    data = _person_data(name=dr_ani.name, agency=bappeda_person.agency_id)
    client_for(officer).post(reverse("outreach:resource_person_edit", args=[dr_ani.pk]), data)
    dr_ani.refresh_from_db()
    assert dr_ani.agency == agency


def test_an_officer_cannot_edit_another_agencys_resource_person(client_for, officer, bappeda_person):
    client = client_for(officer)
    url = reverse("outreach:resource_person_edit", args=[bappeda_person.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _person_data(name="Diubah", sector="x")).status_code == 404
    bappeda_person.refresh_from_db()
    assert bappeda_person.name == "Ir. Budi Santoso"


def test_staff_edit_any_agencys_resource_person(client_for, staff, bappeda_person):
    data = _person_data(name="Ir. Budi Santoso, M.T.", agency=bappeda_person.agency_id)
    response = client_for(staff).post(
        reverse("outreach:resource_person_edit", args=[bappeda_person.pk]), data
    )
    assert response.status_code == 302
    bappeda_person.refresh_from_db()
    assert bappeda_person.name == "Ir. Budi Santoso, M.T."


@pytest.mark.parametrize("persona", ["head", "stranger"])
def test_village_heads_cannot_add_or_edit_resource_persons(client_for, request, persona, dr_ani):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("outreach:resource_person_create")).status_code == 403
    assert (
        client.post(reverse("outreach:resource_person_create"), _person_data(sector="x")).status_code == 403
    )
    assert client.get(reverse("outreach:resource_person_edit", args=[dr_ani.pk])).status_code == 403
    assert ResourcePerson.objects.count() == 1


def test_a_retired_topic_is_not_offered_but_stays_on_the_person_who_has_it(
    client_for, staff, dr_ani, stunting
):
    stunting.is_active = False
    stunting.save()
    TopicFactory(name="Adminduk", is_active=False)
    client = client_for(staff)
    new_form = client.get(reverse("outreach:resource_person_create")).context["form"]
    assert list(new_form.fields["topics"].queryset) == []
    edit_form = client.get(reverse("outreach:resource_person_edit", args=[dr_ani.pk])).context["form"]
    assert list(edit_form.fields["topics"].queryset) == [stunting]


def test_an_inactive_agency_is_not_offered_for_new_resource_persons(client_for, staff, agency):
    closed = AgencyFactory(short_name="Lama", is_active=False)
    form = client_for(staff).get(reverse("outreach:resource_person_create")).context["form"]
    assert list(form.fields["agency"].queryset) == [agency]
    data = _person_data(agency=closed.pk)
    response = client_for(staff).post(reverse("outreach:resource_person_create"), data)
    assert "agency" in response.context["form"].errors


def test_the_resource_person_form_refuses_other_methods(client_for, staff, dr_ani):
    assert (
        client_for(staff).delete(reverse("outreach:resource_person_edit", args=[dr_ani.pk])).status_code
        == 405
    )
