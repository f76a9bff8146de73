import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def no_kept_figures():
    """Each test reads its own figures: the cache (local memory, shared by the tests of a process) starts
    empty, whatever an earlier test's rows were."""
    cache.clear()
    yield
    cache.clear()
