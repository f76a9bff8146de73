"""The staff reminder pages: rules are previewed before they are saved and reach only future occurrences;
the outbox filters and retries; a session's, formation's or KIM's page tells what was sent, is due, failed
or was withdrawn, and why."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kim.reminders.models import Reminder, ReminderRule
from outreach.sessions import services
from tests.factories import (
    FormationFactory,
    ReminderFactory,
    ResourcePersonFactory,
    TopicFactory,
)
from tests.test_bad_input import NASTY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "reminder_rules", "frozen")]

WIB = dt.timezone(dt.timedelta(hours=7))
# Monday 4 March 2019, 10:00 WIB. The session is on Thursday 14 March, 09:00 to 11:00 WIB.
NOW = dt.datetime(2019, 3, 4, 10, 0, tzinfo=WIB)
STARTS = dt.datetime(2019, 3, 14, 9, 0, tzinfo=WIB)
State = Reminder.State


@pytest.fixture
def session_with_phoneless_speaker(officer, agency, kim_with_ketua, head):
    """Proposed through the service, so its reminders are planned; as test_reminders' session_with_reminders,
    but dr. Ani has no phone: the counts here reckon without her WhatsApp messages."""
    speaker = ResourcePersonFactory(agency=agency, name="dr. Ani", email="ani@example.com", phone="")
    return services.session_propose(
        actor=officer,
        agency=agency,
        kim=kim_with_ketua,
        title="Cegah stunting",
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=2),
        venue="Balai Desa",
        topic=TopicFactory(),
        resource_persons=[speaker],
    )


@pytest.fixture
def as_staff(client, staff):
    client.force_login(staff)
    return client


def rule(trigger: str, offset: int) -> ReminderRule:
    return ReminderRule.objects.get(trigger=trigger, offset_days=offset)


def rule_data(**overrides) -> dict:
    return {"name": "H-7", "offset_days": "-7", "audience": ["village_head"], "is_active": "on", **overrides}


def create_url(trigger: str) -> str:
    return reverse("reminders:rule_create") + f"?trigger={trigger}"


def preview_then_save(client, url: str, data: dict):
    """What staff do: preview, read, then save what the preview showed."""
    shown = client.post(url, {**data, "action": "preview"})
    assert shown.status_code == 200 and shown.context["preview"] is not None, shown.context["form"].errors
    return client.post(url, {**data, "action": "save", "previewed": shown.context["fingerprint"]})


def text(response) -> str:
    return response.content.decode()


# The rule list


def test_the_rule_list_tells_each_rules_trigger_timing_audience_and_counts(
    as_staff, session_with_phoneless_speaker
):
    ReminderFactory(rule=rule("report_owed", 1), state=State.FAILED, last_error="address refused")
    page = text(as_staff.get(reverse("reminders:rules")))
    assert "H-3 sebelum sesi" in page and "Before a session starts" in page
    assert "3 days before" in page
    assert "1 day after, then every 3 days until resolved" in page
    assert "the agency&#x27;s officers, the resource persons, the KIM&#x27;s ketua, the village head" in page
    h3 = rule("session_start", -3)
    shown = {r.pk: r for r in as_staff.get(reverse("reminders:rules")).context["rules"]}
    assert (shown[h3.pk].due_count, shown[h3.pk].sent_count, shown[h3.pk].failed_count) == (6, 0, 0)
    assert shown[rule("report_owed", 1).pk].failed_count == 1
    assert reverse("reminders:outbox") in page


@pytest.mark.parametrize("count", [1, 40])
def test_the_rule_list_runs_the_same_queries_whatever_the_size_of_the_outbox(
    as_staff, count, django_assert_num_queries
):
    for _ in range(count):
        ReminderFactory()
    # user, the navbar's unread count, rules with their counts
    with django_assert_num_queries(3):
        as_staff.get(reverse("reminders:rules"))


# Creating and editing a rule


def test_a_new_rule_starts_with_choosing_its_trigger(as_staff):
    response = as_staff.get(reverse("reminders:rule_create"))
    assert "?trigger=report_owed" in text(response)
    assert "form" not in response.context
    response = as_staff.get(create_url("report_owed"))
    assert [value for value, _ in response.context["form"].fields["audience"].choices] == ["officers"]


def test_preview_shows_who_would_receive_the_rule_and_saves_nothing(
    as_staff, session_with_phoneless_speaker, head
):
    before = (ReminderRule.objects.count(), Reminder.objects.count())
    response = as_staff.post(create_url("session_start"), {**rule_data(), "action": "preview"})
    preview = response.context["preview"]
    assert preview.total == 2
    assert {(row.recipient, row.channel) for row in preview.first} == {
        (str(head), "inbox"),
        (str(head), "email"),
    }
    assert {row.due_at for row in preview.first} == {STARTS - dt.timedelta(days=7)}
    page = text(response)
    assert "Saved now, the rule plans 2 messages." in page
    assert "07-03-2019 09:00" in page  # due, in WIB
    assert "Cegah stunting (KIM Selakambang)" in page
    assert (ReminderRule.objects.count(), Reminder.objects.count()) == before


def test_save_without_a_preview_of_what_is_saved_shows_the_preview_instead(
    as_staff, session_with_phoneless_speaker
):
    count = ReminderRule.objects.count()
    response = as_staff.post(create_url("session_start"), {**rule_data(), "action": "save"})
    assert response.status_code == 200 and response.context["preview"].total == 2
    assert "Nothing was saved yet" in text(response)
    shown = as_staff.post(create_url("session_start"), {**rule_data(), "action": "preview"})
    # Changed after the preview: the change is shown, not saved.
    changed = {**rule_data(offset_days="-6"), "action": "save", "previewed": shown.context["fingerprint"]}
    response = as_staff.post(create_url("session_start"), changed)
    assert response.status_code == 200 and "The rule changed since its preview" in text(response)
    assert ReminderRule.objects.count() == count


def test_saving_a_new_rule_plans_only_occurrences_from_now_on(
    as_staff, staff, session_with_phoneless_speaker, frozen
):
    frozen.move_to(STARTS - dt.timedelta(days=2))
    as_staff.force_login(staff)  # the session signed in days before has ended (SESSION_IDLE_TIMEOUT)
    response = preview_then_save(
        as_staff, create_url("session_start"), rule_data(name="H-5", offset_days="-5")
    )
    assert response.status_code == 302 and response.url == reverse("reminders:rules")
    h5 = ReminderRule.objects.get(name="H-5")
    assert h5.effective_from == STARTS - dt.timedelta(days=2) and h5.updated_by == staff
    assert not Reminder.objects.filter(rule=h5).exists()  # five days before the session is already past
    response = preview_then_save(
        as_staff, create_url("session_start"), rule_data(name="H-1", offset_days="-1")
    )
    assert "The rule was saved: 2 messages were planned." in text(as_staff.get(response.url))
    h1 = ReminderRule.objects.get(name="H-1")
    assert {(r.channel, r.due_at) for r in Reminder.objects.filter(rule=h1)} == {
        ("inbox", STARTS - dt.timedelta(days=1)),
        ("email", STARTS - dt.timedelta(days=1)),
    }


def test_editing_a_rule_moves_its_future_messages(as_staff, session_with_phoneless_speaker):
    h3 = rule("session_start", -3)
    data = rule_data(name=h3.name, offset_days="-4", audience=h3.audience)
    response = preview_then_save(as_staff, reverse("reminders:rule_edit", args=[h3.pk]), data)
    assert "6 messages were planned" in text(as_staff.get(response.url))
    rows = Reminder.objects.filter(rule=h3)
    assert rows.count() == rows.filter(state=State.PLANNED, due_at=STARTS - dt.timedelta(days=4)).count() == 6


def test_repeating_is_refused_for_a_trigger_that_happens_once(as_staff):
    response = as_staff.post(
        create_url("session_start"), {**rule_data(repeat_every_days="2"), "action": "preview"}
    )
    assert "happens once, so its reminders cannot repeat" in str(response.context["form"].errors)
    assert response.context["preview"] is None
    assert not ReminderRule.objects.filter(name="H-7").exists()


def test_a_rule_needs_someone_to_receive_it_among_its_triggers_audiences(as_staff):
    response = as_staff.post(create_url("report_owed"), {**rule_data(audience=[]), "action": "preview"})
    assert "Choose at least one group of people" in str(response.context["form"].errors)
    response = as_staff.post(
        create_url("report_owed"), {**rule_data(audience=["ketua"]), "action": "preview"}
    )
    assert "cannot receive reminders of this trigger" in str(response.context["form"].errors)


def test_the_trigger_of_a_saved_rule_never_changes(as_staff):
    h3 = rule("session_start", -3)
    data = {**rule_data(audience=["officers"]), "trigger": "report_owed"}
    preview_then_save(as_staff, reverse("reminders:rule_edit", args=[h3.pk]) + "?trigger=report_owed", data)
    h3.refresh_from_db()
    assert h3.trigger == "session_start" and h3.name == "H-7"


def test_turning_a_rule_off_withdraws_what_it_planned(as_staff, session_with_phoneless_speaker):
    h3 = rule("session_start", -3)
    data = rule_data(name=h3.name, offset_days="-3", audience=h3.audience, is_active="")
    shown = as_staff.post(reverse("reminders:rule_edit", args=[h3.pk]), {**data, "action": "preview"})
    assert "6 planned messages will be withdrawn" in text(shown)
    response = preview_then_save(as_staff, reverse("reminders:rule_edit", args=[h3.pk]), data)
    assert "6 planned messages were withdrawn" in text(as_staff.get(response.url))
    assert not Reminder.objects.filter(rule=h3, state=State.PLANNED).exists()
    assert Reminder.objects.filter(rule=h3, state=State.WITHDRAWN, last_error="rule turned off").count() == 6


EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELD = st.one_of(st.text(max_size=200), NASTY, st.sampled_from(["-3", "0", "2", "99999", "-400", "1e3"]))


@EXAMPLES
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "name": FIELD,
            "offset_days": FIELD,
            "repeat_every_days": FIELD,
            "audience": st.lists(
                st.one_of(FIELD, st.sampled_from(["officers", "ketua", "staff"])), max_size=3
            ),
            "is_active": st.sampled_from(["on", "", "\x00"]),
            "action": st.sampled_from(["preview", "save", "", "\x00"]),
            "previewed": FIELD,
        },
    ),
    trigger=st.sampled_from(["session_start", "report_owed", "weekly_digest", "nope", "\x00"]),
)
def test_the_rule_form_survives_any_input_and_a_refused_form_saves_nothing(as_staff, data, trigger):
    before = list(ReminderRule.objects.values_list()), Reminder.objects.count()
    url = reverse("reminders:rule_create") + "?" + urlencode({"trigger": trigger})
    response = as_staff.post(url, data)
    # A control character in the query string is a 404 before the view runs (kim.lib.middleware).
    assert response.status_code in ((404,) if "\x00" in trigger else (200, 302))
    if response.status_code in (200, 404):
        assert (list(ReminderRule.objects.values_list()), Reminder.objects.count()) == before
    if response.status_code == 200 and response.context.get("preview") is not None:
        # What passed the preview saves whole.
        saved = as_staff.post(url, {**data, "action": "save", "previewed": response.context["fingerprint"]})
        assert saved.status_code == 302
        assert ReminderRule.objects.count() == len(before[0]) + 1


# The outbox


def _outbox(client, **filters):
    return client.get(reverse("reminders:outbox"), filters)


def test_the_outbox_filters_by_state_trigger_channel_due_date_and_recipient(as_staff, officer):
    failed = ReminderFactory(
        user=officer, recipient_name="Bu Sari", channel="email", state=State.FAILED, last_error="refused"
    )
    late = ReminderFactory(recipient_name="Pak Budi", due_at=NOW + dt.timedelta(days=10), state=State.PLANNED)
    digest = ReminderFactory(
        rule=ReminderRule.objects.get(trigger="weekly_digest"), subject="digest:0", concerns="digest:0"
    )

    def shown(**filters):
        return {row.pk for row in _outbox(as_staff, **filters).context["page"]}

    assert shown() == {failed.pk, late.pk, digest.pk}
    assert shown(state="failed") == {failed.pk}
    assert shown(trigger="weekly_digest") == {digest.pk}
    assert shown(rule=str(digest.rule_id)) == {digest.pk}
    assert shown(channel="email") == {failed.pk}
    assert shown(q="budi") == {late.pk}
    assert shown(due_from="2019-03-10") == {late.pk}
    assert shown(due_to="2019-03-04") == {failed.pk, digest.pk}
    assert shown(state="nonsense", due_from="99999-01-01") == {failed.pk, late.pk, digest.pk}


def test_the_outbox_shows_each_rows_due_time_in_wib_error_page_and_a_retry_for_failures_only(
    as_staff, officer
):
    failed = ReminderFactory(
        user=officer,
        channel="email",
        state=State.FAILED,
        last_error="address refused",
        subject="session:7",
        concerns="session:7",
    )
    ReminderFactory(state=State.WITHDRAWN, last_error="too late")
    page = text(_outbox(as_staff))
    assert "04-03-2019 10:00" in page
    assert "address refused" in page and "too late to be of use" in page
    assert reverse("outreach:session_detail", args=[7]) in page
    assert reverse("reminders:about", args=["session", 7]) in page
    assert page.count(">Retry</button>") == 1
    assert reverse("reminders:retry", args=[failed.pk]) in page


@pytest.mark.parametrize("count", [1, 40])
def test_the_outbox_runs_the_same_queries_whatever_the_number_of_rows(
    as_staff, count, django_assert_num_queries
):
    for n in range(count):
        ReminderFactory(state=State.FAILED if n % 2 else State.SENT, last_error="x")
    # user, rule choices, the navbar's unread count, count, rows with their rules
    with django_assert_num_queries(5):
        response = _outbox(as_staff)
    assert len(response.context["page"]) == min(count, 25)
    with django_assert_num_queries(5):
        response = _outbox(as_staff, state="sent", channel="inbox", due_from="2019-03-01", q="penerima")
    assert len(response.context["page"]) == (count + 1) // 2
    with django_assert_num_queries(5):
        _outbox(as_staff, page=2)


# Retry


def test_retry_sends_a_failed_message_again_and_comes_back_to_the_page(as_staff, officer):
    row = ReminderFactory(user=officer, channel="email", state=State.FAILED, attempts=5, last_error="refused")
    back = reverse("reminders:outbox") + "?state=failed"
    response = as_staff.post(reverse("reminders:retry", args=[row.pk]), {"next": back})
    assert response.status_code == 302 and response.url == back
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (State.PLANNED, 0, "")
    assert "goes out again with the next sweep" in text(as_staff.get(back))


def test_retrying_a_message_that_has_not_failed_changes_nothing(as_staff):
    row = ReminderFactory(state=State.SENT)
    response = as_staff.post(reverse("reminders:retry", args=[row.pk]), follow=True)
    assert "has not failed (it is sent): nothing was changed" in text(response)
    assert Reminder.objects.get(pk=row.pk).state == State.SENT


def test_retry_never_redirects_to_another_site(as_staff):
    row = ReminderFactory(state=State.FAILED)
    for target in ("https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"):
        response = as_staff.post(reverse("reminders:retry", args=[row.pk]), {"next": target})
        assert response.url == reverse("reminders:outbox")


def test_retrying_a_missing_message_is_a_404(as_staff):
    assert as_staff.post(reverse("reminders:retry", args=[999_999])).status_code == 404


# One subject's reminders


def test_a_sessions_reminders_tell_what_was_sent_is_due_failed_and_was_withdrawn_and_why(
    as_staff, session_with_phoneless_speaker, officer
):
    key = f"session:{session_with_phoneless_speaker.pk}"
    sent = ReminderFactory(subject=key, concerns=key, user=officer, recipient_name="Pak Sent")
    failed = ReminderFactory(
        subject=key, concerns=key, state=State.FAILED, recipient_name="Bu Gagal", last_error="address refused"
    )
    moved = ReminderFactory(subject=key, concerns=key, state=State.WITHDRAWN, last_error="moved")
    ReminderFactory(subject="follow_up:3", concerns=key, state=State.WITHDRAWN, last_error="resolved")
    ReminderFactory(subject="session:999", concerns="session:999", recipient_name="Elsewhere")
    response = as_staff.get(reverse("reminders:about", args=["session", session_with_phoneless_speaker.pk]))
    groups = response.context
    assert [row.pk for row in groups["sent"]] == [sent.pk]
    assert len(groups["due"]) == 12 and all(row.state == State.PLANNED for row in groups["due"])
    assert [row.pk for row in groups["failed"]] == [failed.pk]
    assert moved.pk in {row.pk for row in groups["withdrawn"]}
    page = text(response)
    assert "Cegah stunting" in page and "Elsewhere" not in page
    assert "the date moved: a new reminder replaces it" in page
    assert "no longer needed: the matter was resolved" in page and "follow-up #3" in page
    assert "address refused" in page and reverse("reminders:retry", args=[failed.pk]) in page
    assert "11-03-2019 09:00" in page  # the H-3 reminders, due in WIB


# What planning and sending write into last_error when they withdraw a row.
WITHDRAWAL_REASONS = [
    "moved",
    "resolved",
    "recipient no longer concerned",
    "channel turned off",
    "too late",
    "deleted",
    "rule turned off",
]


@pytest.mark.parametrize("reason", WITHDRAWAL_REASONS)
def test_every_withdrawal_reason_reads_as_words(as_staff, kim, reason):
    ReminderFactory(
        subject=f"kim:{kim.pk}", concerns=f"kim:{kim.pk}", state=State.WITHDRAWN, last_error=reason
    )
    row = as_staff.get(reverse("reminders:about", args=["kim", kim.pk])).context["withdrawn"][0]
    assert row.reason != reason


def test_a_formations_reminders_are_listed_on_its_own_page(as_staff, village):
    formation = FormationFactory(target__village=village)
    key = f"formation:{formation.pk}"
    row = ReminderFactory(subject=key, concerns=key)
    response = as_staff.get(reverse("reminders:about", args=["formation", formation.pk]))
    assert [r.pk for r in response.context["sent"]] == [row.pk]
    assert "Selakambang" in text(response)


@pytest.mark.parametrize("count", [1, 40])
def test_a_subjects_reminders_run_the_same_queries_whatever_their_number(
    as_staff, kim, count, django_assert_num_queries
):
    key = f"kim:{kim.pk}"
    for n in range(count):
        ReminderFactory(subject=key, concerns=key, state=[State.SENT, State.FAILED, State.WITHDRAWN][n % 3])
    # user, the KIM, its reminders with their rules, the navbar's unread count
    with django_assert_num_queries(4):
        as_staff.get(reverse("reminders:about", args=["kim", kim.pk]))


@pytest.mark.parametrize(
    ("kind", "pk"), [("member", 1), ("digest", 0), ("session", 999_999), ("kim", 999_999)]
)
def test_anything_but_an_existing_session_formation_or_kim_is_a_404(as_staff, kind, pk):
    assert as_staff.get(reverse("reminders:about", args=[kind, pk])).status_code == 404


def test_staff_find_the_reminders_from_the_session_formation_and_kim_pages(
    as_staff, client, session_with_phoneless_speaker, head, village
):
    formation = FormationFactory(target__village=village)
    pages = [
        (
            reverse("outreach:session_detail", args=[session_with_phoneless_speaker.pk]),
            reverse("reminders:about", args=["session", session_with_phoneless_speaker.pk]),
        ),
        (
            reverse("formation:detail", args=[formation.pk]),
            reverse("reminders:about", args=["formation", formation.pk]),
        ),
        (
            reverse("register:detail", args=[session_with_phoneless_speaker.kim.pk]),
            reverse("reminders:about", args=["kim", session_with_phoneless_speaker.kim.pk]),
        ),
    ]
    for page, link in pages:
        assert link in text(as_staff.get(page))
    client.force_login(head)
    for page, link in pages:
        assert link not in text(client.get(page))
