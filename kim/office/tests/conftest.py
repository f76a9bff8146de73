import pytest


@pytest.fixture(autouse=True)
def _office_defaults(office_defaults):
    """Every test here starts from the letterhead and signatories as migration 0018 leaves them."""
