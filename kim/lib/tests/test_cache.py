"""The production cache fails open: with nothing answering at its address, reads miss, writes are dropped,
nothing raises, nothing waits, and the outage is logged once."""

import logging
import socket
import time

import pytest

from kim.lib import cache as failopen
from kim.lib.cache import FailOpenRedisCache


@pytest.fixture
def dead_cache() -> FailOpenRedisCache:
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return FailOpenRedisCache(
        f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )


def test_with_redis_down_every_cache_call_answers_as_an_empty_cache(dead_cache):
    started = time.monotonic()
    assert dead_cache.get("k", "default") == "default"
    dead_cache.set("k", 1)
    assert dead_cache.add("k", 1) is False
    assert dead_cache.get_or_set("k", 2) == 2
    assert dead_cache.get_many(["k", "l"]) == {}
    assert dead_cache.set_many({"k": 1}) == ["k"]
    assert dead_cache.has_key("k") is False
    assert dead_cache.touch("k") is False
    assert dead_cache.delete("k") is False
    dead_cache.delete_many(["k"])
    dead_cache.clear()
    with pytest.raises(ValueError):
        dead_cache.incr("k")
    assert time.monotonic() - started < 2


def test_an_outage_is_logged_once_and_redis_is_not_asked_again_for_a_few_seconds(
    dead_cache, caplog, monkeypatch
):
    clock = [100.0]
    monkeypatch.setattr(failopen, "monotonic", lambda: clock[0])
    asked = []
    real_get = failopen.RedisCache.get
    monkeypatch.setattr(failopen.RedisCache, "get", lambda *a: asked.append(1) or real_get(*a))
    with caplog.at_level(logging.WARNING, logger="kim.lib.cache"):
        for _ in range(3):
            assert dead_cache.get("k") is None
        clock[0] += failopen.RETRY_AFTER_SECONDS
        assert dead_cache.get("k") is None
    assert len(asked) == 2  # the first call, and one after the pause
    assert [r.getMessage()[:24] for r in caplog.records] == ["Redis cache unavailable "]
