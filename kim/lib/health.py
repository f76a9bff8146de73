"""Questions a health check asks of the services beside the app, each answered quickly whatever their state."""

import redis


def redis_answers(url: str, timeout: float) -> bool:
    """Whether the Redis at `url` answers PING within `timeout` seconds (connecting included), asked once."""
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout, retry=None)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()
