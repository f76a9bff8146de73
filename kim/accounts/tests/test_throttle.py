"""Sign-in throttling that an attacker cannot turn against the owner, with and without a reverse proxy, and a
slower per-account limit that a password-reset link always gets past."""

import datetime as dt
import importlib
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

import kim.settings
from kim.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Kaligondang-2019!"
OWNER_ADDRESS = "203.0.113.9"
ATTACKER_ADDRESS = "198.51.100.66"
PROXY_ADDRESS = "10.0.0.1"
CLIENT_ADDRESS_SETTINGS = (
    "PROXY_COUNT",
    "AXES_IPWARE_PROXY_COUNT",
    "AXES_IPWARE_PROXY_ORDER",
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    "IPWARE_STRICT",
)


@pytest.fixture
def owner(village):
    user = UserFactory(username="kades", email="kades@example.com", role=Role.VILLAGE_HEAD, village=village)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def proxies(settings, monkeypatch):
    """Sets the client-address settings as kim/settings.py derives them from PROXY_COUNT=n."""

    def behind(count: int) -> None:
        monkeypatch.setenv("PROXY_COUNT", str(count))
        derived = importlib.reload(kim.settings)
        for name in CLIENT_ADDRESS_SETTINGS:
            setattr(settings, name, getattr(derived, name))

    yield behind
    monkeypatch.delenv("PROXY_COUNT", raising=False)
    importlib.reload(kim.settings)


def _sign_in(client, username, password, **addresses):
    return client.post(reverse("login"), {"username": username, "password": password}, **addresses)


def _direct(address, forged=None) -> dict:
    """A request straight from `address`, with whatever X-Forwarded-For it chose to send."""
    return {"REMOTE_ADDR": address, **({"HTTP_X_FORWARDED_FOR": forged} if forged else {})}


def _through_proxy(address, forged=None) -> dict:
    """A request from `address` through one proxy, which appends the address it was reached from."""
    header = f"{forged}, {address}" if forged else address
    return {"REMOTE_ADDR": PROXY_ADDRESS, "HTTP_X_FORWARDED_FOR": header}


def _attempted_addresses() -> set[str]:
    return set(AccessAttempt.objects.values_list("ip_address", flat=True))


@pytest.mark.parametrize(
    ("count", "request_from"), [(0, _direct), (1, _through_proxy)], ids=["direct", "proxy"]
)
def test_a_forged_address_neither_adds_attempts_to_it_nor_locks_out_its_owner(
    client, owner, proxies, count, request_from
):
    proxies(count)
    for _attempt in range(5):
        _sign_in(client, "kades", "wrong", **request_from(ATTACKER_ADDRESS, forged=OWNER_ADDRESS))
    assert _sign_in(client, "kades", PASSWORD, **request_from(ATTACKER_ADDRESS)).status_code == 429
    assert _attempted_addresses() == {ATTACKER_ADDRESS}
    assert _sign_in(client, "kades", PASSWORD, **request_from(OWNER_ADDRESS)).status_code == 302


def test_behind_one_proxy_the_real_clients_address_is_counted_not_the_proxys(client, owner, proxies):
    proxies(1)
    _sign_in(client, "kades", "wrong", **_through_proxy(OWNER_ADDRESS))
    assert _attempted_addresses() == {OWNER_ADDRESS}


def test_behind_one_proxy_two_clients_do_not_share_a_lock(client, owner, proxies):
    """The bug this fixes: every client had the proxy's address, so anyone's failures locked everyone."""
    proxies(1)
    for _attempt in range(6):
        _sign_in(client, "kades", "wrong", **_through_proxy(ATTACKER_ADDRESS))
    assert _sign_in(client, "kades", PASSWORD, **_through_proxy(OWNER_ADDRESS)).status_code == 302


def test_without_a_proxy_the_header_is_never_read(client, owner, proxies):
    proxies(0)
    _sign_in(client, "kades", "wrong", **_direct(ATTACKER_ADDRESS, forged=OWNER_ADDRESS))
    assert _attempted_addresses() == {ATTACKER_ADDRESS}


def test_the_proxy_settings_follow_proxy_count(proxies, settings):
    proxies(2)
    # ipware counts the proxies listed in the header after the client: all but the last, which is REMOTE_ADDR.
    assert settings.AXES_IPWARE_PROXY_COUNT == 1
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    proxies(0)
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ["REMOTE_ADDR"]


def _guess_from_many_addresses(client, username, times, first=1):
    """One wrong password from each of `times` addresses: never enough for one address's lock."""
    statuses = [
        _sign_in(client, username, "wrong", **_direct(f"198.51.100.{n}")).status_code
        for n in range(first, first + times)
    ]
    return statuses


@pytest.fixture
def account_limit(settings):
    settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT = 8
    settings.SIGN_IN_ACCOUNT_WINDOW = 24 * 3600
    return 8


def test_guessing_from_many_addresses_pauses_password_sign_in_for_the_account(
    client, owner, account_limit, english
):
    # The failure that reaches the limit is itself answered with the pause.
    assert _guess_from_many_addresses(client, "kades", account_limit) == [200] * (account_limit - 1) + [429]
    refused = _sign_in(client, "kades", PASSWORD, **_direct(OWNER_ADDRESS))
    assert refused.status_code == 429
    assert "paused after many failed attempts from different places" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_few_guesses_from_many_addresses_do_not_pause_the_account(client, owner, account_limit):
    _guess_from_many_addresses(client, "kades", account_limit - 1)
    assert _sign_in(client, "kades", PASSWORD, **_direct(OWNER_ADDRESS)).status_code == 302


def test_the_per_account_count_starts_afresh_when_the_owner_signs_in(client, owner, account_limit):
    _guess_from_many_addresses(client, "kades", account_limit - 1)
    assert _sign_in(client, "kades", PASSWORD, **_direct(OWNER_ADDRESS)).status_code == 302
    client.post(reverse("logout"))
    _guess_from_many_addresses(client, "kades", account_limit - 1, first=100)
    assert _sign_in(client, "kades", PASSWORD, **_direct(OWNER_ADDRESS)).status_code == 302


def test_the_pause_ends_when_the_failures_age_out_of_the_window(client, owner, account_limit):
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False) as traveller:
        _guess_from_many_addresses(client, "kades", account_limit)
        assert _sign_in(client, "kades", PASSWORD, **_direct(OWNER_ADDRESS)).status_code == 429
        traveller.shift(dt.timedelta(hours=24, minutes=1))
        assert _sign_in(client, "kades", PASSWORD, **_direct(OWNER_ADDRESS)).status_code == 302


def test_a_password_reset_link_still_works_and_signs_the_owner_in(client, owner, account_limit):
    _guess_from_many_addresses(client, "kades", account_limit)
    assert _sign_in(client, "kades", PASSWORD, **_direct(OWNER_ADDRESS)).status_code == 429

    client.post(reverse("password_reset"), {"email": owner.email}, **_direct(OWNER_ADDRESS))
    link = re.search(r"http://testserver(/akun/sandi/atur/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True, **_direct(OWNER_ADDRESS))
    new = "Selakambang-2026!"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
        follow=True,
        **_direct(OWNER_ADDRESS),
    )
    assert done.status_code == 200
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert client.get(reverse("home:index"), **_direct(OWNER_ADDRESS)).status_code == 200

    # And signing in with the new password works again, from anywhere.
    client.post(reverse("logout"))
    assert _sign_in(client, "kades", new, **_direct("192.0.2.77")).status_code == 302


def test_a_username_without_an_account_is_paused_alike(client, owner, account_limit, english):
    """So that the pause tells nobody which usernames exist."""
    _guess_from_many_addresses(client, "tidak.ada", account_limit)
    refused = _sign_in(client, "tidak.ada", "wrong", **_direct(OWNER_ADDRESS))
    assert refused.status_code == 429
    assert "paused after many failed attempts from different places" in refused.content.decode()
