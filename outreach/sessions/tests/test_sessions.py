"""Sessions: proposing with clash warnings, the village's answer, rescheduling and cancelling, the list and
the session page, and who may do what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kim.register.models import Kim
from outreach.sessions import services
from outreach.sessions.models import Session, SessionEvent
from tests.factories import (
    AgencyFactory,
    DistrictFactory,
    KimFactory,
    ResourcePersonFactory,
    SessionFactory,
    TopicFactory,
    VillageFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]

UTC = dt.UTC
WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2019, 3, 1, 9, 0, tzinfo=WIB)
# Thursday 7 March 2019, 09:00 to 11:00 WIB: the default session below.
STARTS = dt.datetime(2019, 3, 7, 9, 0, tzinfo=WIB)
ENDS = dt.datetime(2019, 3, 7, 11, 0, tzinfo=WIB)
Event = SessionEvent.Kind


@pytest.fixture
def topic():
    return TopicFactory(name="Penanggulangan stunting")


@pytest.fixture
def person(agency):
    return ResourcePersonFactory(name="dr. Ratna", agency=agency, phone="+6281234567890")


@pytest.fixture
def session(agency, kim, topic, person, officer):
    session = SessionFactory(
        agency=agency, kim=kim, topic=topic, title="Cegah stunting", starts_at=STARTS, ends_at=ENDS
    )
    session.resource_persons.add(person)
    return session


def _wib(moment: dt.datetime) -> str:
    return f"{moment.astimezone(WIB):%Y-%m-%dT%H:%M}"


def _proposal(kim, topic, /, **overrides):
    data = {
        "kim": kim.pk,
        "topic": topic.pk,
        "title": "Sosialisasi pencegahan stunting",
        "starts_at": _wib(STARTS),
        "ends_at": _wib(ENDS),
        "venue": "Balai Desa Selakambang",
        "expected_audience": "40",
    }
    return {**data, **overrides}


def _propose(actor, kim, topic=None, **overrides):
    values = {
        "actor": actor,
        "agency": actor.agency,
        "kim": kim,
        "topic": topic,
        "title": "Sosialisasi",
        "starts_at": STARTS,
        "ends_at": ENDS,
        "venue": "Balai Desa",
    }
    return services.session_propose(**{**values, **overrides})


def _kinds(session):
    return list(session.events.order_by("at", "id").values_list("kind", flat=True))


# Services


def test_an_officer_proposes_a_session_that_waits_for_the_village(officer, kim, topic, person):
    session = _propose(officer, kim, topic, resource_persons=[person], expected_audience=40)
    assert (session.state, session.agency, session.proposed_by) == (
        Session.State.PROPOSED,
        officer.agency,
        officer,
    )
    assert list(session.resource_persons.all()) == [person]
    event = session.events.get()
    assert (event.kind, event.actor) == (Event.PROPOSED, officer)
    assert "07-03-2019 09:00 WIB" in event.notes


def test_a_proposal_takes_a_free_text_topic_when_none_is_on_the_list(officer, kim):
    session = _propose(officer, kim, None, topic_other="  Literasi digital ")
    assert (session.topic, session.topic_name) == (None, "Literasi digital")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"ends_at": STARTS}, "ends_before_start"),
        ({"starts_at": NOW - dt.timedelta(hours=1)}, "starts_in_past"),
        ({"topic": None}, "no_topic"),
    ],
)
def test_a_proposal_with_bad_times_or_no_topic_is_refused(officer, kim, topic, overrides, code):
    overrides = {"topic": topic, **overrides}
    with pytest.raises(ValidationError) as raised:
        _propose(officer, kim, **overrides)
    assert raised.value.code == code
    assert not Session.objects.exists()


def test_a_proposal_in_an_inactive_kim_is_refused(officer, kim, topic):
    kim.status = Kim.Status.INACTIVE
    kim.save()
    with pytest.raises(ValidationError, match="not active"):
        _propose(officer, kim, topic)
    assert not Session.objects.exists()


def test_an_officer_cannot_propose_for_another_agency(officer, kim, topic):
    with pytest.raises(PermissionDenied):
        _propose(officer, kim, topic, agency=AgencyFactory(short_name="Dinsos"))


def test_staff_propose_on_behalf_of_any_agency(staff, agency, kim, topic):
    assert _propose(staff, kim, topic, agency=agency).agency == agency


def test_clashes_are_the_same_kim_or_the_same_person_at_an_overlapping_time(session, kim, person, agency):
    other_kim = KimFactory(village=VillageFactory())
    elsewhere = SessionFactory(kim=other_kim, starts_at=STARTS + dt.timedelta(hours=1), ends_at=ENDS)
    elsewhere.resource_persons.add(person)
    SessionFactory(kim=kim, starts_at=ENDS, ends_at=ENDS + dt.timedelta(hours=1))  # starts as it ends
    SessionFactory(kim=kim, starts_at=STARTS, ends_at=ENDS, state=Session.State.CANCELLED)
    SessionFactory(kim=other_kim, starts_at=STARTS, ends_at=ENDS)  # another KIM, other people

    clashes = services.session_clashes(kim=kim, resource_persons=[person], starts_at=STARTS, ends_at=ENDS)
    assert [(c.session, c.same_kim, c.resource_persons) for c in clashes] == [
        (session, True, (person,)),
        (elsewhere, False, (person,)),
    ]
    others = services.session_clashes(
        kim=kim, resource_persons=[], starts_at=STARTS, ends_at=ENDS, exclude=session
    )
    assert others == []


def test_the_village_head_confirms_once_and_a_second_confirmation_changes_nothing(session, head):
    stamp = services.session_stamp(session)
    assert services.session_confirm(session=session, actor=head, stamp=stamp) is True
    assert services.session_confirm(session=session, actor=head, stamp=stamp) is False
    session.refresh_from_db()
    assert session.state == Session.State.CONFIRMED
    assert _kinds(session) == [Event.CONFIRMED]
    assert session.events.get().actor == head


def test_a_confirmation_of_times_changed_since_is_refused(session, head, officer):
    stamp = services.session_stamp(session)
    services.session_reschedule(
        session=session,
        actor=officer,
        starts_at=STARTS + dt.timedelta(days=1),
        ends_at=ENDS + dt.timedelta(days=1),
        venue=session.venue,
        reason="Narasumber berhalangan",
    )
    with pytest.raises(ValidationError, match="changed"):
        services.session_confirm(session=session, actor=head, stamp=stamp)
    session.refresh_from_db()
    assert session.state == Session.State.PROPOSED


def test_asking_for_another_date_keeps_the_session_proposed(session, head):
    assert services.session_request_date(session=session, actor=head, reason="Ada musyawarah desa") is True
    assert services.session_request_date(session=session, actor=head, reason="Ada musyawarah desa") is False
    session.refresh_from_db()
    assert (session.state, session.date_request) == (Session.State.PROPOSED, "Ada musyawarah desa")
    assert _kinds(session) == [Event.DATE_REQUESTED]


def test_rescheduling_a_confirmed_session_asks_the_village_again(session, head, officer):
    services.session_request_date(session=session, actor=head, reason="Ada musyawarah desa")
    services.session_confirm(session=session, actor=head)
    later = dt.timedelta(days=7)
    changed = services.session_reschedule(
        session=session,
        actor=officer,
        starts_at=STARTS + later,
        ends_at=ENDS + later,
        venue="Aula Kecamatan",
        reason="Balai desa dipakai",
    )
    assert changed is True
    session.refresh_from_db()
    assert (session.state, session.date_request) == (Session.State.PROPOSED, "")
    assert (session.starts_at, session.venue) == (STARTS + later, "Aula Kecamatan")
    event = session.events.get(kind=Event.RESCHEDULED)
    assert event.actor == officer
    assert event.notes == "07-03-2019 09:00 WIB → 14-03-2019 09:00 WIB, Aula Kecamatan. Balai desa dipakai"
    same = {"starts_at": STARTS + later, "ends_at": ENDS + later, "venue": "Aula Kecamatan", "reason": "x"}
    assert services.session_reschedule(session=session, actor=officer, **same) is False


def test_a_session_cannot_be_rescheduled_into_the_past(session, officer):
    with pytest.raises(ValidationError):
        services.session_reschedule(
            session=session,
            actor=officer,
            starts_at=NOW - dt.timedelta(days=1),
            ends_at=NOW,
            venue="x",
            reason="x",
        )


def test_cancelling_keeps_the_reason_and_a_second_cancel_changes_nothing(session, officer):
    assert services.session_cancel(session=session, actor=officer, reason="Banjir") is True
    assert services.session_cancel(session=session, actor=officer, reason="Banjir lagi") is False
    session.refresh_from_db()
    assert (session.state, session.cancelled_reason) == (Session.State.CANCELLED, "Banjir")
    assert _kinds(session) == [Event.CANCELLED]


def test_a_held_session_can_no_longer_be_cancelled_or_rescheduled(session, officer):
    Session.objects.filter(pk=session.pk).update(state=Session.State.HELD)
    with pytest.raises(ValidationError):
        services.session_cancel(session=session, actor=officer, reason="x")
    with pytest.raises(ValidationError):
        services.session_reschedule(
            session=session,
            actor=officer,
            starts_at=STARTS,
            ends_at=ENDS + dt.timedelta(hours=1),
            venue="x",
            reason="x",
        )
    assert not session.events.exists()


def test_changing_details_records_what_changed_and_only_while_proposed(session, officer, topic, person, head):
    details = {"topic": topic, "title": "Cegah stunting", "venue": "Balai Desa", "resource_persons": [person]}
    assert services.session_update(session=session, actor=officer, **details) is False
    extra = ResourcePersonFactory()
    changed = {**details, "title": "Cegah stunting sejak dini", "resource_persons": [person, extra]}
    assert services.session_update(session=session, actor=officer, **changed) is True
    event = session.events.get()
    assert (event.kind, event.notes) == (Event.CHANGED, "resource persons, title")
    services.session_confirm(session=session, actor=head)
    with pytest.raises(ValidationError):
        services.session_update(session=session, actor=officer, **details)


# Proposing through the form


def test_an_officer_proposes_through_the_form_for_their_own_agency(client, officer, kim, topic, person):
    client.force_login(officer)
    other = AgencyFactory(short_name="Dinsos")
    data = _proposal(kim, topic, resource_persons=[person.pk], agency=other.pk)
    response = client.post(reverse("outreach:session_create"), data)
    session = Session.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("outreach:session_detail", args=[session.pk])
    assert (session.agency, session.kim, session.proposed_by) == (officer.agency, kim, officer)
    assert list(session.resource_persons.all()) == [person]


def test_staff_choose_the_agency_they_propose_for(client, staff, kim, topic):
    client.force_login(staff)
    dinsos = AgencyFactory(short_name="Dinsos")
    assert "agency" in client.get(reverse("outreach:session_create")).context["form"].fields
    client.post(reverse("outreach:session_create"), _proposal(kim, topic, agency=dinsos.pk))
    assert Session.objects.get().agency == dinsos


def test_a_proposal_without_an_agency_chosen_by_staff_is_refused(client, staff, kim, topic):
    client.force_login(staff)
    response = client.post(reverse("outreach:session_create"), _proposal(kim, topic))
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert not Session.objects.exists()


@pytest.mark.parametrize("role", ["head", "stranger"])
def test_village_heads_cannot_propose(client, request, role, kim, topic):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("outreach:session_create")).status_code == 403
    assert client.post(reverse("outreach:session_create"), _proposal(kim, topic)).status_code == 403
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": _wib(STARTS)}, "ends_at", "The session must end after it starts."),
        ({"starts_at": "2019-02-28T09:00"}, "starts_at", "The start lies in the past"),
        ({"topic": ""}, "topic", "Choose a topic from the list, or type another"),
        ({"topic_other": "Literasi digital"}, "topic_other", "Leave this empty when a topic is chosen"),
        ({"starts_at": "0001-01-01T00:00"}, "starts_at", "Enter a date between 2000 and 2100."),
    ],
)
def test_the_proposal_form_explains_what_is_wrong(client, officer, kim, topic, overrides, field, message):
    client.force_login(officer)
    response = client.post(reverse("outreach:session_create"), _proposal(kim, topic, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_an_inactive_kim_is_not_offered_and_choosing_it_says_why(client, officer, kim, topic):
    kim.status = Kim.Status.INACTIVE
    kim.save()
    client.force_login(officer)
    assert kim.name not in client.get(reverse("outreach:session_create")).content.decode()
    response = client.post(reverse("outreach:session_create"), _proposal(kim, topic))
    assert "KIM Selakambang Maju is not an active KIM" in response.content.decode()
    assert not Session.objects.exists()


def test_a_clash_is_shown_first_and_saved_only_when_save_anyway_is_ticked(
    client, officer, session, topic, person
):
    client.force_login(officer)
    data = _proposal(session.kim, topic, resource_persons=[person.pk], title="Kedua")

    first = client.post(reverse("outreach:session_create"), data)
    assert first.status_code == 200
    assert [clash.session for clash in first.context["form"].clashes] == [session]
    page = first.content.decode()
    assert 'id="clash-warning"' in page and "dr. Ratna is booked" in page and "same KIM" in page
    assert "nothing was saved" not in page  # a warning, not an error
    assert Session.objects.count() == 1

    second = client.post(
        reverse("outreach:session_create"), {**data, "save_anyway": "on", "seen_clashes": str(session.pk)}
    )
    assert second.status_code == 302
    assert Session.objects.filter(title="Kedua").exists()


def test_save_anyway_does_not_cover_clashes_that_were_not_shown(client, officer, session, topic):
    client.force_login(officer)
    data = {**_proposal(session.kim, topic), "save_anyway": "on"}
    response = client.post(reverse("outreach:session_create"), data)
    assert "These clashes are new" in response.content.decode()
    later = SessionFactory(kim=session.kim, starts_at=STARTS, ends_at=ENDS)
    response = client.post(reverse("outreach:session_create"), {**data, "seen_clashes": str(session.pk)})
    assert [clash.session for clash in response.context["form"].clashes] == [session, later]
    assert Session.objects.count() == 2


def test_a_session_proposed_for_nine_wib_is_stored_as_two_utc_and_shown_as_nine(client, officer, kim, topic):
    client.force_login(officer)
    client.post(reverse("outreach:session_create"), _proposal(kim, topic, starts_at="2019-03-07T09:00"))
    session = Session.objects.get()
    assert session.starts_at == dt.datetime(2019, 3, 7, 2, 0, tzinfo=UTC)
    assert session.starts_at.utcoffset() == dt.timedelta(0)
    response = client.get(reverse("outreach:session_detail", args=[session.pk]), HTTP_ACCEPT_LANGUAGE="id")
    assert "07-03-2019 09.00\u201311.00 WIB" in response.content.decode()
    listing = client.get(reverse("outreach:session_list"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "07-03-2019 09.00" in listing


def _session_snapshot():
    return (
        list(
            Session.objects.values_list(
                "id", "title", "state", "starts_at", "ends_at", "venue", "kim", "agency"
            )
        ),
        SessionEvent.objects.count(),
        Session.resource_persons.through.objects.count(),
    )


TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "\x00", "-1", "0" * 400, "9" * 40, "x" * 5000, "<script>", "\uff19\uff19"]),
)
MOMENTS = st.one_of(
    TEXT,
    st.sampled_from(
        ["2019-03-07T09:00", "2019-03-07T11:00", "2019-02-01T09:00", "9999-12-31T23:59", "07-03-2019 09:00"]
    ),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "agency": st.one_of(TEXT, st.just("AGENCY")),
            "kim": st.one_of(TEXT, st.just("KIM")),
            "topic": st.one_of(TEXT, st.just("TOPIC")),
            "topic_other": TEXT,
            "title": TEXT,
            "starts_at": MOMENTS,
            "ends_at": MOMENTS,
            "venue": TEXT,
            "resource_persons": st.one_of(TEXT, st.just("PERSON")),
            "expected_audience": st.one_of(TEXT, st.integers().map(str)),
            "save_anyway": st.one_of(TEXT, st.just("on")),
            "seen_clashes": TEXT,
        },
    )
)
@example(data={"kim": "9223372036854775808", "resource_persons": "9223372036854775808"})
@example(data={"starts_at": "9999-12-31T23:59", "ends_at": "0001-01-01T00:00"})
def test_the_proposal_form_survives_any_input(client, staff, kim, topic, person, data):
    client.force_login(staff)
    placeholders = {"AGENCY": person.agency_id, "KIM": kim.pk, "TOPIC": topic.pk, "PERSON": person.pk}
    data = {name: placeholders.get(value, value) for name, value in data.items()}
    before = _session_snapshot()
    response = client.post(reverse("outreach:session_create"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _session_snapshot() == before, "a refused form changed the database"


# The village's answer, rescheduling and cancelling through the pages


def test_the_village_head_confirms_from_the_session_page(client, head, session):
    client.force_login(head)
    page = client.get(reverse("outreach:session_detail", args=[session.pk]))
    assert 'id="confirmation-panel"' in page.content.decode()
    stamp = page.context["confirm_form"].initial["stamp"]
    url = reverse("outreach:session_confirm", args=[session.pk])

    response = client.post(url, {"stamp": stamp}, follow=True)
    assert "The session is confirmed." in response.content.decode()
    response = client.post(url, {"stamp": stamp}, follow=True)
    assert "Nothing changed" in response.content.decode()
    session.refresh_from_db()
    assert session.state == Session.State.CONFIRMED
    assert _kinds(session) == [Event.CONFIRMED]


def test_a_confirmation_without_its_stamp_changes_nothing(client, head, session):
    client.force_login(head)
    response = client.post(reverse("outreach:session_confirm", args=[session.pk]), follow=True)
    assert "reload the page" in response.content.decode()
    session.refresh_from_db()
    assert session.state == Session.State.PROPOSED


def test_the_village_head_asks_for_another_date_with_a_reason(client, head, officer, session):
    client.force_login(head)
    url = reverse("outreach:session_request_date", args=[session.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert refused.context["date_request_form"].errors
    client.post(url, {"reason": "Bertepatan dengan musyawarah desa"})
    session.refresh_from_db()
    assert (session.state, session.date_request) == (
        Session.State.PROPOSED,
        "Bertepatan dengan musyawarah desa",
    )

    client.force_login(officer)
    page = client.get(reverse("outreach:session_detail", args=[session.pk])).content.decode()
    assert "Bertepatan dengan musyawarah desa" in page and "Another date asked" in page


def test_the_officer_reschedules_and_the_village_confirms_again(client, officer, head, session):
    services.session_confirm(session=session, actor=head)
    client.force_login(officer)
    url = reverse("outreach:session_reschedule", args=[session.pk])
    form = client.get(url).context["form"]
    assert 'value="2019-03-07T09:00"' in str(form["starts_at"])
    data = {
        "starts_at": "2019-03-14T13:00",
        "ends_at": "2019-03-14T15:00",
        "venue": "Balai Desa",
        "reason": "Hujan",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == Session.State.PROPOSED
    assert session.starts_at == dt.datetime(2019, 3, 14, 6, 0, tzinfo=UTC)


def test_rescheduling_onto_a_clash_warns_first(client, officer, session, kim):
    SessionFactory(
        title="Posyandu",
        kim=kim,
        starts_at=STARTS + dt.timedelta(days=7),
        ends_at=ENDS + dt.timedelta(days=7),
    )
    client.force_login(officer)
    data = {
        "starts_at": "2019-03-14T09:00",
        "ends_at": "2019-03-14T11:00",
        "venue": "Balai Desa",
        "reason": "Hujan",
    }
    response = client.post(reverse("outreach:session_reschedule", args=[session.pk]), data)
    assert response.status_code == 200
    assert "Posyandu" in response.content.decode()
    session.refresh_from_db()
    assert session.starts_at == STARTS


def test_the_officer_changes_the_details_of_a_proposed_session(client, officer, session, topic, person):
    client.force_login(officer)
    url = reverse("outreach:session_edit", args=[session.pk])
    assert client.get(url).context["form"]["title"].value() == "Cegah stunting"
    data = {
        "topic": topic.pk,
        "title": "Cegah stunting sejak dini",
        "venue": "Balai Desa",
        "resource_persons": [person.pk],
    }
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.title == "Cegah stunting sejak dini"
    assert _kinds(session) == [Event.CHANGED]


def test_adding_a_booked_resource_person_warns_first(client, officer, session, topic, person):
    busy = ResourcePersonFactory(name="Bidan Sri")
    SessionFactory(
        kim=KimFactory(village=VillageFactory()), starts_at=STARTS, ends_at=ENDS
    ).resource_persons.add(busy)
    client.force_login(officer)
    data = {"topic": topic.pk, "title": "x", "venue": "Balai Desa", "resource_persons": [person.pk, busy.pk]}
    response = client.post(reverse("outreach:session_edit", args=[session.pk]), data)
    assert "Bidan Sri is booked" in response.content.decode()
    assert list(session.resource_persons.all()) == [person]


def test_a_confirmed_session_is_rescheduled_rather_than_edited(client, officer, head, session):
    services.session_confirm(session=session, actor=head)
    client.force_login(officer)
    response = client.get(reverse("outreach:session_edit", args=[session.pk]))
    assert response.status_code == 302
    assert response.url == reverse("outreach:session_detail", args=[session.pk])


def test_the_officer_cancels_with_a_reason(client, officer, session):
    client.force_login(officer)
    url = reverse("outreach:session_cancel", args=[session.pk])
    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 200
    assert refused.context["cancel_form"].errors
    client.post(url, {"reason": "Narasumber sakit"})
    session.refresh_from_db()
    assert (session.state, session.cancelled_reason) == (Session.State.CANCELLED, "Narasumber sakit")
    page = client.get(reverse("outreach:session_detail", args=[session.pk])).content.decode()
    assert "Narasumber sakit" in page and 'id="cancel-panel"' not in page


def test_the_history_says_who_did_what_and_when(client, officer, head, session):
    services.session_request_date(session=session, actor=head, reason="Minggu depan saja")
    services.session_confirm(session=session, actor=head)
    client.force_login(officer)
    history = client.get(reverse("outreach:session_detail", args=[session.pk])).context["events"]
    assert [(event.kind, event.actor) for event in history] == [
        (Event.CONFIRMED, head),
        (Event.DATE_REQUESTED, head),
    ]


# Who may do what


OUTCOMES = ["staff", "staff_admin", "head", "stranger", "officer", "other_officer", None]
# (url name, method, what each persona above gets: a status code, or "done" for a change made)
MATRIX = [
    ("session_detail", "get", [200, 200, 200, 404, 200, 404, "login"]),
    ("session_edit", "get", [200, 200, 403, 404, 200, 404, "login"]),
    ("session_edit", "post", ["done", "done", 403, 404, "done", 404, "login"]),
    ("session_reschedule", "get", [200, 200, 403, 404, 200, 404, "login"]),
    ("session_reschedule", "post", ["done", "done", 403, 404, "done", 404, "login"]),
    ("session_confirm", "post", ["done", "done", "done", 404, 403, 404, "login"]),
    ("session_request_date", "post", ["done", "done", "done", 404, 403, 404, "login"]),
    ("session_cancel", "post", ["done", "done", 403, 404, "done", 404, "login"]),
]
POSTS = {
    "session_edit": {"topic": "TOPIC", "title": "Judul baru", "venue": "Balai Desa"},
    "session_reschedule": {
        "starts_at": "2019-03-08T09:00",
        "ends_at": "2019-03-08T11:00",
        "venue": "Balai",
        "reason": "x",
    },
    "session_confirm": {"stamp": "STAMP"},
    "session_request_date": {"reason": "Minggu depan"},
    "session_cancel": {"reason": "Banjir"},
}


@pytest.mark.parametrize(
    ("name", "method", "persona", "expected"),
    [
        (name, method, persona, outcome)
        for name, method, outcomes in MATRIX
        for persona, outcome in zip(OUTCOMES, outcomes, strict=True)
    ],
)
def test_permission_matrix(client, request, session, topic, name, method, persona, expected):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    url = reverse(f"outreach:{name}", args=[session.pk])
    placeholders = {"TOPIC": topic.pk, "STAMP": services.session_stamp(session)}
    data = {key: placeholders.get(value, value) for key, value in POSTS.get(name, {}).items()}
    before = SessionEvent.objects.count()
    response = client.post(url, data) if method == "post" else client.get(url)
    changed = SessionEvent.objects.count() > before
    if expected == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif expected == "done":
        assert response.status_code == 302 and changed
    else:
        assert response.status_code == expected
    assert changed == (expected == "done")


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("session_list", "post"),
        ("session_detail", "post"),
        ("session_confirm", "get"),
        ("session_request_date", "get"),
        ("session_cancel", "get"),
        ("session_edit", "put"),
        ("session_reschedule", "delete"),
    ],
)
def test_wrong_methods_are_refused(client, staff, session, name, method):
    client.force_login(staff)
    args = [] if name == "session_list" else [session.pk]
    response = getattr(client, method)(reverse(f"outreach:{name}", args=args))
    assert response.status_code == 405
    assert not session.events.exists()


def test_the_session_page_offers_each_user_the_actions_they_may_take(client, staff, head, officer, session):
    def page(user):
        client.force_login(user)
        return client.get(reverse("outreach:session_detail", args=[session.pk])).content.decode()

    for_head, for_officer, for_staff = page(head), page(officer), page(staff)
    assert 'id="confirmation-panel"' in for_head and 'id="session-actions"' not in for_head
    assert 'id="confirmation-panel"' not in for_officer and 'id="session-actions"' in for_officer
    assert 'id="confirmation-panel"' in for_staff and 'id="cancel-panel"' in for_staff
    assert "https://wa.me/6281234567890" in for_officer


# The list


def test_each_role_lists_the_sessions_in_its_scope(
    client, staff, head, stranger, officer, other_officer, session
):
    other = SessionFactory(
        agency=other_officer.agency, kim=KimFactory(village=VillageFactory()), title="Bansos"
    )

    def listed(user):
        client.force_login(user)
        return {row.title for row in client.get(reverse("outreach:session_list")).context["page"]}

    assert listed(staff) == {"Cegah stunting", "Bansos"}
    assert listed(officer) == {"Cegah stunting"}
    assert listed(other_officer) == {"Bansos"}
    assert listed(head) == {"Cegah stunting"}
    assert listed(stranger) == set()
    assert other.pk


def test_the_list_filters_by_agency_kecamatan_topic_state_and_dates(
    client, staff, session, agency, topic, kim
):
    elsewhere = VillageFactory(district=DistrictFactory(code="33.03.05", name="Kutasari"))
    SessionFactory(
        title="Lain",
        agency=AgencyFactory(short_name="Dinsos"),
        kim=KimFactory(village=elsewhere),
        topic=TopicFactory(name="Bansos"),
        state=Session.State.CONFIRMED,
        starts_at=STARTS + dt.timedelta(days=30),
    )
    client.force_login(staff)

    def listed(**params):
        return {row.title for row in client.get(reverse("outreach:session_list"), params).context["page"]}

    assert listed() == {"Cegah stunting", "Lain"}
    assert listed(agency=agency.pk) == {"Cegah stunting"}
    assert listed(kecamatan="33.03.05") == {"Lain"}
    assert listed(topic=topic.pk) == {"Cegah stunting"}
    assert listed(state="confirmed") == {"Lain"}
    assert listed(date_from="2019-03-07", date_to="2019-03-07") == {"Cegah stunting"}
    assert listed(date_from="2019-03-08") == {"Lain"}
    # 23:30 WIB on 6 March is 16:30 UTC the same day: a day is a WIB day.
    SessionFactory(title="Malam", kim=kim, starts_at=dt.datetime(2019, 3, 6, 16, 30, tzinfo=UTC))
    assert listed(date_to="2019-03-06") == {"Malam"}
    assert listed(date_from="0001-01-01", state="nonsense") == {"Cegah stunting", "Lain", "Malam"}


def test_filters_that_cannot_narrow_a_scope_are_left_out(client, head, officer, session):
    client.force_login(officer)
    assert "agency" not in client.get(reverse("outreach:session_list")).context["filter"].form.fields
    client.force_login(head)
    assert "kecamatan" not in client.get(reverse("outreach:session_list")).context["filter"].form.fields


def _many_sessions(count, agency, kim, topic):
    Session.objects.bulk_create(
        Session(
            agency=agency,
            kim=kim,
            topic=topic,
            title=f"Sesi {n}",
            starts_at=STARTS + dt.timedelta(days=n),
            ends_at=ENDS + dt.timedelta(days=n),
            venue="Balai Desa",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [3, 300])
def test_the_list_runs_the_same_number_of_queries_whatever_the_number_of_sessions(
    client, staff, officer, agency, kim, topic, django_assert_num_queries, count
):
    _many_sessions(count, agency, kim, topic)
    client.force_login(staff)
    # user, the navbar's counts, count, rows, agency, kecamatan and topic choices (the login session comes from the cache)
    with django_assert_num_queries(7):
        response = client.get(reverse("outreach:session_list"), {"page": 1 if count == 3 else 2})
    assert len(response.context["page"]) == min(count, 25)
    with django_assert_num_queries(7):
        client.get(
            reverse("outreach:session_list"),
            {"kecamatan": "33.03.04", "state": "proposed", "date_from": "2019-03-01"},
        )
    client.force_login(officer)
    # no agency choices: an officer lists their own agency's sessions only (and the navbar's counts)
    with django_assert_num_queries(6):
        client.get(reverse("outreach:session_list"))


@pytest.mark.parametrize("count", [1, 10])
def test_the_session_page_runs_a_fixed_number_of_queries(
    client, staff, session, head, django_assert_num_queries, count
):
    for n in range(count):
        session.resource_persons.add(ResourcePersonFactory(phone="+6281234567890"))
        services.session_request_date(session=session, actor=head, reason=f"Alasan {n}")
    client.force_login(staff)
    # user, the navbar's counts, session, resource persons, history, its documents (outreach.reports.documents)
    with django_assert_num_queries(6):
        response = client.get(reverse("outreach:session_detail", args=[session.pk]))
    assert len(response.context["events"]) == count
