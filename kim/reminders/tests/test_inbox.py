"""The inbox every account has, the navbar's counts and the staff's sweep warning, the WhatsApp queue staff send
by hand, and each person's channel choices."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kim.accounts.models import User
from kim.home.context_processors import nav_status
from kim.reminders.models import Heartbeat, Reminder
from kim.reminders.sending import SWEEP_HEARTBEAT
from tests.factories import ReminderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]

WIB = dt.timezone(dt.timedelta(hours=7))
# Thursday 14 March 2019, 10:00 WIB.
NOW = dt.datetime(2019, 3, 14, 10, 0, tzinfo=WIB)


@pytest.fixture
def sweep_alive():
    """The sweep ran a minute ago: no warning."""
    return Heartbeat.objects.create(name=SWEEP_HEARTBEAT, beat_at=NOW - dt.timedelta(minutes=1))


def _inbox(user, **kwargs):
    return ReminderFactory(user=user, channel="inbox", **kwargs)


def _whatsapp(**kwargs):
    defaults = {"recipient": "member:1", "recipient_name": "Ketua KIM", "address": "+6281234567890"}
    return ReminderFactory(channel="whatsapp", **{**defaults, **kwargs})


def _badge(response) -> str:
    """The unread count in the navbar's inbox link ("" when there is none)."""
    link = re.search(r'<div class="navbar-nav navbar-inbox.*?</div>', response.content.decode(), re.S)
    assert link, "no inbox link in the navbar"
    badge = re.search(r'<span class="badge[^"]*">(\d+)</span>', link.group(0))
    return badge.group(1) if badge else ""


# The inbox


def test_a_person_sees_the_messages_sent_to_their_inbox_newest_first(client, officer, head):
    older = _inbox(officer, title="Older", sent_at=NOW - dt.timedelta(days=2))
    newer = _inbox(officer, title="Newer", sent_at=NOW - dt.timedelta(hours=1))
    _inbox(head, title="The head's")
    _inbox(officer, title="Still planned", state="planned", sent_at=None)
    ReminderFactory(user=officer, channel="email", title="By email")
    ReminderFactory(user=officer, channel="whatsapp", title="By WhatsApp", address="+6281234567890")
    client.force_login(officer)
    response = client.get(reverse("reminders:inbox"))
    assert list(response.context["page"]) == [newer, older]


def test_a_message_shows_its_body_with_line_breaks_and_its_sent_time_in_wib(client, officer):
    _inbox(officer, body="Cegah stunting\nBalai Desa", sent_at=dt.datetime(2019, 3, 14, 2, 5, tzinfo=dt.UTC))
    client.force_login(officer)
    page = client.get(reverse("reminders:inbox")).content.decode()
    assert "Cegah stunting<br>Balai Desa" in page
    assert "Thursday, 14 March 2019 09:05 WIB" in page


def test_the_sent_time_reads_as_indonesians_write_it(client, officer):
    _inbox(officer, sent_at=dt.datetime(2019, 3, 14, 2, 5, tzinfo=dt.UTC))
    client.force_login(officer)
    page = client.get(reverse("reminders:inbox"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Kamis, 14 Maret 2019 09.05 WIB" in page


def test_unread_messages_stand_out_from_read_ones(client, officer):
    _inbox(officer, title="Unread one", sent_at=NOW)
    _inbox(officer, title="Read one", sent_at=NOW - dt.timedelta(days=1), read_at=NOW)
    client.force_login(officer)
    page = client.get(reverse("reminders:inbox")).content.decode()
    articles = re.findall(r'<article class="([^"]*)">.*?<h2[^>]*>(.*?)</h2>', page, re.S)
    assert [("inbox-unread" in classes, "New" in title) for classes, title in articles] == [
        (True, True),
        (False, False),
    ]


def test_the_unread_count_shows_on_every_page_and_goes_down_as_messages_are_read(client, officer):
    first, *_ = [_inbox(officer, url=f"http://127.0.0.1:8000/opd/sesi/{n}/") for n in (1, 2, 3)]
    client.force_login(officer)
    assert _badge(client.get(reverse("villages:list"))) == "3"
    assert _badge(client.get(reverse("register:list"))) == "3"

    response = client.post(reverse("reminders:inbox_read", args=[first.pk]))

    assert response.url == "/opd/sesi/1/"
    first.refresh_from_db()
    assert first.read_at == NOW
    assert _badge(client.get(reverse("villages:list"))) == "2"
    client.post(reverse("reminders:inbox_read_all"))
    assert _badge(client.get(reverse("villages:list"))) == ""


def test_reading_a_message_again_keeps_the_time_it_was_first_read(client, officer, frozen):
    message = _inbox(officer)
    client.force_login(officer)
    client.post(reverse("reminders:inbox_read", args=[message.pk]))
    frozen.shift(dt.timedelta(hours=2))
    client.post(reverse("reminders:inbox_read", args=[message.pk]))
    message.refresh_from_db()
    assert message.read_at == NOW


def test_opening_a_message_stays_on_this_site_whatever_its_link_says(client, officer):
    elsewhere = _inbox(officer, url="https://example.com/kim/5/?tab=visits")
    no_link = _inbox(officer, url="")
    client.force_login(officer)
    assert client.post(reverse("reminders:inbox_read", args=[elsewhere.pk])).url == "/kim/5/?tab=visits"
    assert client.post(reverse("reminders:inbox_read", args=[no_link.pk])).url == reverse("reminders:inbox")


def test_mark_all_read_touches_only_ones_own_messages(client, officer, head):
    own = _inbox(officer)
    theirs = _inbox(head)
    client.force_login(officer)
    client.post(reverse("reminders:inbox_read_all"))
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert (own.read_at, theirs.read_at) == (NOW, None)


@pytest.mark.parametrize("persona", ["staff", "staff_admin", "head"])
def test_nobody_can_open_or_mark_another_persons_message(client, officer, persona, request):
    message = _inbox(officer)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("reminders:inbox_read", args=[message.pk])).status_code == 404
    client.post(reverse("reminders:inbox_read_all"))
    message.refresh_from_db()
    assert message.read_at is None


def test_inbox_actions_refuse_a_get(client, officer):
    message = _inbox(officer)
    client.force_login(officer)
    assert client.get(reverse("reminders:inbox_read", args=[message.pk])).status_code == 405
    assert client.get(reverse("reminders:inbox_read_all")).status_code == 405
    assert client.post(reverse("reminders:inbox")).status_code == 405


def test_the_inbox_links_to_the_channel_choices(client, officer):
    client.force_login(officer)
    page = client.get(reverse("reminders:inbox")).content.decode()
    assert reverse("reminders:notification_settings") in page


@pytest.mark.parametrize("count", [1, 30])
def test_the_inbox_runs_a_fixed_number_of_queries(client, officer, django_assert_num_queries, count):
    for _ in range(count):
        _inbox(officer)
    client.force_login(officer)
    # user, count, rows, the navbar's unread count
    with django_assert_num_queries(4):
        response = client.get(reverse("reminders:inbox"))
    assert len(response.context["page"]) == min(count, 25)


# The navbar's counts and the staff's warning


def test_the_navbar_status_is_read_once_and_only_when_a_page_shows_it(officer, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = officer
    with django_assert_num_queries(0):
        status = nav_status(request)["nav_status"]
    _inbox(officer)
    with django_assert_num_queries(1):
        assert (status.unread, status.whatsapp_waiting) == (1, 0)
        assert status.unread == 1


def test_a_page_without_sign_in_runs_no_inbox_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("login"))
    assert reverse("reminders:inbox") not in response.content.decode()


def test_staff_see_how_many_whatsapp_messages_wait_in_the_navbar(client, staff, officer, sweep_alive):
    _whatsapp()
    _whatsapp()
    _whatsapp(relayed_at=NOW, relayed_by=staff)
    client.force_login(staff)
    page = client.get(reverse("villages:list")).content.decode()
    link = re.search(rf'href="{reverse("reminders:whatsapp_queue")}">WhatsApp <span[^>]*>(\d+)</span>', page)
    assert link and link.group(1) == "2"
    client.force_login(officer)
    assert reverse("reminders:whatsapp_queue") not in client.get(reverse("villages:list")).content.decode()


def test_a_staff_page_runs_one_query_for_the_navbar_and_the_warning(
    client, staff, village, django_assert_num_queries
):
    _inbox(staff)
    _whatsapp()
    client.force_login(staff)
    # user, count, rows, kecamatan choices, agency choices, and one for the navbar and the sweep warning
    with django_assert_num_queries(6):
        response = client.get(reverse("villages:list"))
    assert _badge(response) == "1"
    assert "the reminder sweep has never run" in response.content.decode()


def test_staff_are_warned_on_every_page_when_the_sweep_has_never_run(client, staff):
    client.force_login(staff)
    for url in (reverse("villages:list"), reverse("register:list"), reverse("reminders:inbox")):
        page = client.get(url).content.decode()
        assert "Reminders are not being sent: the reminder sweep has never run." in page, url


def test_staff_are_warned_when_the_sweep_has_stopped_for_several_minutes(client, staff, settings):
    settings.HEARTBEAT_STALE_AFTER_SECONDS = 5 * 60
    heartbeat = Heartbeat.objects.create(name=SWEEP_HEARTBEAT, beat_at=NOW - dt.timedelta(minutes=4))
    client.force_login(staff)
    assert "Reminders are not being sent" not in client.get(reverse("villages:list")).content.decode()

    heartbeat.beat_at = NOW - dt.timedelta(minutes=12)
    heartbeat.save()

    page = client.get(reverse("villages:list")).content.decode()
    assert "the reminder sweep last ran 12\xa0minutes ago" in page


def test_the_staff_home_page_warns_once(client, staff):
    client.force_login(staff)
    page = client.get(reverse("home:index")).content.decode()
    assert page.count('class="alert alert-warning"') == 1


@pytest.mark.parametrize("persona", ["head", "officer"])
def test_village_heads_and_officers_are_not_warned_about_the_sweep(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("villages:list")).content.decode()
    assert "Reminders are not being sent" not in page


# The WhatsApp queue


def test_the_queue_holds_ready_whatsapp_messages_with_a_link_that_types_them_in(client, staff, sweep_alive):
    waiting = _whatsapp(title="Pengingat", body="Cegah stunting\nBalai Desa", url="http://x.test/opd/sesi/1/")
    _whatsapp(relayed_at=NOW, relayed_by=staff)
    _whatsapp(state="planned", sent_at=None)
    ReminderFactory(channel="inbox", user=staff)
    client.force_login(staff)
    response = client.get(reverse("reminders:whatsapp_queue"))
    [row] = response.context["page"]
    assert row == waiting
    link = urlsplit(row.wa_link)
    assert (link.netloc, link.path) == ("wa.me", "/6281234567890")
    assert parse_qs(link.query)["text"] == [
        "Pengingat\n\nCegah stunting\nBalai Desa\n\nhttp://x.test/opd/sesi/1/"
    ]
    page = response.content.decode()
    assert "Ketua KIM" in page
    assert "https://wa.me/6281234567890?text=Pengingat%0A%0ACegah" in page


def test_a_message_marked_sent_leaves_the_queue_for_the_sent_list(client, staff, sweep_alive):
    row = _whatsapp()
    client.force_login(staff)
    response = client.post(reverse("reminders:whatsapp_sent", args=[row.pk]))
    assert response.url == reverse("reminders:whatsapp_queue")
    row.refresh_from_db()
    assert (row.relayed_at, row.relayed_by) == (NOW, staff)
    assert list(client.get(reverse("reminders:whatsapp_queue")).context["page"]) == []
    sent = client.get(reverse("reminders:whatsapp_queue"), {"status": "sent"})
    assert list(sent.context["page"]) == [row]
    assert f"by {staff}" in sent.content.decode()


def test_marking_a_whatsapp_message_sent_twice_keeps_the_first_tick(client, staff, staff_admin, frozen):
    row = _whatsapp()
    client.force_login(staff)
    client.post(reverse("reminders:whatsapp_sent", args=[row.pk]))
    frozen.shift(dt.timedelta(minutes=3))
    client.force_login(staff_admin)
    response = client.post(reverse("reminders:whatsapp_sent", args=[row.pk]))
    row.refresh_from_db()
    assert (row.relayed_at, row.relayed_by) == (NOW, staff)
    assert [str(m) for m in get_messages(response.wsgi_request)][
        -1
    ] == "This message was already marked as sent."


def test_only_ready_whatsapp_messages_can_be_marked_sent(client, staff, officer):
    planned = _whatsapp(state="planned", sent_at=None)
    inbox = _inbox(officer)
    client.force_login(staff)
    assert client.post(reverse("reminders:whatsapp_sent", args=[planned.pk])).status_code == 404
    assert client.post(reverse("reminders:whatsapp_sent", args=[inbox.pk])).status_code == 404
    assert client.get(reverse("reminders:whatsapp_sent", args=[planned.pk])).status_code == 405
    assert not Reminder.objects.filter(relayed_at__isnull=False).exists()


def test_others_cannot_see_or_tick_the_whatsapp_queue(client, head):
    row = _whatsapp()
    client.force_login(head)
    assert client.get(reverse("reminders:whatsapp_queue")).status_code == 403
    assert client.post(reverse("reminders:whatsapp_sent", args=[row.pk])).status_code == 403
    row.refresh_from_db()
    assert row.relayed_at is None


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("status", ["", "sent"])
def test_the_whatsapp_queue_runs_a_fixed_number_of_queries(
    client, staff, django_assert_num_queries, count, status
):
    for _ in range(count):
        _whatsapp(**({"relayed_at": NOW, "relayed_by": staff} if status else {}))
    client.force_login(staff)
    # user, count, rows (with who sent them), the navbar and the sweep warning
    with django_assert_num_queries(4):
        response = client.get(reverse("reminders:whatsapp_queue"), {"status": status})
    assert len(response.context["page"]) == min(count, 25)


# Channel choices


def _choose(client, **data):
    return client.post(reverse("reminders:notification_settings"), data)


def test_a_person_chooses_whatsapp_with_their_phone_number(client, officer):
    client.force_login(officer)
    response = _choose(client, notify_by_whatsapp="on", phone="0812 3456 7890")
    assert response.url == reverse("reminders:notification_settings")
    officer.refresh_from_db()
    assert (officer.notify_by_email, officer.notify_by_whatsapp, officer.phone) == (
        False,
        True,
        "+6281234567890",
    )


def test_whatsapp_needs_a_phone_number(client, officer):
    client.force_login(officer)
    response = _choose(client, notify_by_email="on", notify_by_whatsapp="on", phone="")
    assert response.context["form"].errors == {
        "notify_by_whatsapp": ["Enter your mobile phone number to receive reminders on WhatsApp."]
    }
    officer.refresh_from_db()
    assert (officer.notify_by_email, officer.notify_by_whatsapp) == (True, False)


def test_email_needs_an_email_address_on_the_account(client, officer):
    User.objects.filter(pk=officer.pk).update(email="", notify_by_email=False)
    client.force_login(officer)
    response = _choose(client, notify_by_email="on", phone="08123456789")
    assert list(response.context["form"].errors) == ["notify_by_email"]
    assert "Your account has no email address." in response.content.decode()
    officer.refresh_from_db()
    assert (officer.notify_by_email, officer.phone) == (False, "")


def test_a_phone_number_that_is_not_an_indonesian_mobile_is_refused(client, officer):
    client.force_login(officer)
    response = _choose(client, notify_by_whatsapp="on", phone="021 555 1234")
    assert list(response.context["form"].errors) == ["phone"]
    officer.refresh_from_db()
    assert (officer.notify_by_whatsapp, officer.phone) == (False, "")


def test_saving_the_choices_writes_nothing_else_on_the_account(client, officer):
    """A staff administrator may be editing the same account: only the three choices are written."""
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        _choose(client, phone="0812 3456 7890")
    [update] = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "kim_user"')]
    assert sorted(re.findall(r'"(\w+)" = ', update.split(" WHERE ")[0])) == [
        "notify_by_email",
        "notify_by_whatsapp",
        "phone",
    ]
    officer.refresh_from_db()
    assert (officer.notify_by_email, officer.phone) == (False, "+6281234567890")


def test_the_choices_page_explains_that_the_inbox_always_receives_reminders(client, head):
    client.force_login(head)
    page = client.get(reverse("reminders:notification_settings")).content.decode()
    assert "Reminders always arrive in your inbox" in page
    assert head.email in page


CHOICES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "on",
        "off",
        "true",
        "08123456789",
        "+62812345678901234",
        "<script>",
        "x" * 5000,
        "\u202e",
    ]
)


@CHOICES
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "notify_by_email": st.one_of(NASTY, st.text(max_size=20)),
            "notify_by_whatsapp": st.one_of(NASTY, st.text(max_size=20)),
            "phone": st.one_of(
                NASTY, st.text(max_size=40), st.sampled_from(["0812 3456 7890", "628123456789"])
            ),
        },
    ),
    has_email=st.booleans(),
)
def test_the_channel_choices_survive_any_input_and_never_save_half(client, officer, data, has_email):
    User.objects.filter(pk=officer.pk).update(email=officer.username + "@example.com" if has_email else "")
    before = User.objects.values("notify_by_email", "notify_by_whatsapp", "phone", "email").get(pk=officer.pk)
    client.force_login(officer)
    response = client.post(reverse("reminders:notification_settings"), data)
    assert response.status_code in (200, 302)
    after = User.objects.values("notify_by_email", "notify_by_whatsapp", "phone", "email").get(pk=officer.pk)
    if response.status_code == 200:
        assert after == before, "a refused form changed the account"
    else:
        assert after["email"] == before["email"]
        assert not after["notify_by_email"] or after["email"]
        assert not after["notify_by_whatsapp"] or re.fullmatch(r"\+628\d{7,11}", after["phone"])
        assert after["phone"] == "" or re.fullmatch(r"\+628\d{7,11}", after["phone"])
