"""A control character anywhere in a URL is a 404 before any view or query runs (PostgreSQL would answer a
NUL in a lookup with a DataError, a 500)."""

from urllib.parse import quote

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
CONTROL = [chr(code) for code in [*range(0x20), 0x7F]]


@pytest.mark.parametrize("character", CONTROL)
def test_a_control_character_in_the_path_is_a_404(client, staff, character):
    client.force_login(staff)
    assert client.get(f"/desa/33.03.04.2006{quote(character)}/").status_code == 404


@pytest.mark.parametrize(
    "query", ["q=%00", "q=a%00b", "%00=1", "page=2&q=%1b[0m", "q=%7F", "district=33%0D%0A"]
)
def test_a_control_character_in_the_query_string_is_a_404(client, staff, query):
    client.force_login(staff)
    assert client.get(f"{reverse('villages:list')}?{query}").status_code == 404


def test_a_nul_in_a_looked_up_key_is_a_404_for_a_signed_in_reader(client, staff, village):
    client.force_login(staff)
    assert (
        client.get(reverse("villages:detail", args=[village.pk]).replace("2006", "2006%00")).status_code
        == 404
    )


def test_an_ordinary_query_string_still_reaches_the_page(client, staff, village):
    client.force_login(staff)
    assert client.get(f"{reverse('villages:list')}?q=selakambang&page=1").status_code == 200
