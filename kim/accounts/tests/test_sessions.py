"""A signed-in session leaves nothing in a cache, and ends when idle or old."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils.cache import get_max_age

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize(
    "url",
    [
        lambda o: reverse("accounts:list"),
        lambda o: reverse("accounts:edit", args=[o["head"].pk]),
        lambda o: reverse("register:detail", args=[o["kim"].pk]),
        lambda o: reverse("downloads:list"),
        lambda o: reverse("villages:contacts_edit", args=[o["village"].pk]),
        lambda o: reverse("reminders:inbox"),
    ],
    ids=["accounts", "account", "KIM members", "downloads", "village contacts", "inbox"],
)
def test_pages_with_personal_data_are_kept_in_no_cache(client, staff_admin, head, kim, village, url):
    client.force_login(staff_admin)
    response = client.get(url({"head": head, "kim": kim, "village": village}))
    assert response.status_code == 200
    assert {"private", "no-store"} <= _cache_control(response)


def test_the_sign_in_page_and_a_refusal_are_kept_in_no_cache_either(client, head):
    assert {"private", "no-store"} <= _cache_control(client.get(reverse("login")))
    client.force_login(head)
    refused = client.get(reverse("accounts:list"))
    assert refused.status_code == 403
    assert {"private", "no-store"} <= _cache_control(refused)
    assert "public" not in _cache_control(refused)
    assert get_max_age(refused) in (None, 0)


def _signed_in_at_start(client, user, traveller):
    client.force_login(user)
    assert client.get(reverse("home:index")).status_code == 200


def _is_signed_out(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_session_idle_for_the_idle_time_is_signed_out(client, staff, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    with time_machine.travel(START, tick=False) as traveller:
        _signed_in_at_start(client, staff, traveller)
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("villages:list")).status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("villages:list")).status_code == 200
        traveller.shift(dt.timedelta(minutes=30))
        response = client.get(reverse("villages:list"))
        assert _is_signed_out(response)
        assert "_auth_user_id" not in client.session
        # Back to the page itself, once signed in again; and the sign-in page says why.
        assert response.url == f"{reverse('login')}?next={reverse('villages:list')}"
        page = client.get(response.url).content.decode()
        assert "Sesi Anda telah berakhir" in page


def test_a_busy_session_still_ends_at_the_maximum_age(client, staff, settings):
    settings.SESSION_IDLE_TIMEOUT = 2 * 3600
    settings.SESSION_COOKIE_AGE = 12 * 3600
    with time_machine.travel(START, tick=False) as traveller:
        _signed_in_at_start(client, staff, traveller)
        for _hour in range(11):
            traveller.shift(dt.timedelta(hours=1))
            assert client.get(reverse("home:index")).status_code == 200
        traveller.shift(dt.timedelta(minutes=59))
        assert client.get(reverse("home:index")).status_code == 200
        traveller.shift(dt.timedelta(minutes=1))
        assert _is_signed_out(client.get(reverse("home:index")))


def test_a_post_after_the_idle_time_changes_nothing_and_asks_to_sign_in(client, staff_admin, head, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    with time_machine.travel(START, tick=False) as traveller:
        _signed_in_at_start(client, staff_admin, traveller)
        traveller.shift(dt.timedelta(minutes=31))
        data = {"username": head.username, "email": head.email, "role": "staff", "is_active": "on"}
        assert _is_signed_out(client.post(reverse("accounts:edit", args=[head.pk]), data))
    head.refresh_from_db()
    assert head.role == "village_head"


def test_an_active_session_is_not_saved_on_every_request(client, staff, django_assert_num_queries):
    with time_machine.travel(START, tick=False) as traveller:
        _signed_in_at_start(client, staff, traveller)
        traveller.shift(dt.timedelta(seconds=10))
        client.get(reverse("home:health"))
        assert client.session["_seen_at"] == int(START.timestamp())
        traveller.shift(dt.timedelta(seconds=60))
        client.get(reverse("home:health"))
        assert client.session["_seen_at"] == int(START.timestamp()) + 70
