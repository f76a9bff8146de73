"""Every number on the dashboard links to a list whose rows are exactly those counted."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from kim.dashboard.tests.test_selectors import KALIGONDANG, YEAR, _generated_year

pytestmark = pytest.mark.django_db

FIGURE_LINK = re.compile(r'<a href="([^"]+)" data-figure="([^"]+)"[^>]*>([0-9.,]+)</a>')


@pytest.fixture
def demo(media, settings):
    call_command("import_areas", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


def _rows_listed(client, url: str) -> int:
    response = client.get(url.replace("&amp;", "&"))
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def _figure_links(html: str) -> list[tuple[str, str, int]]:
    return [
        (name, url, int(count.replace(".", "").replace(",", "")))
        for url, name, count in FIGURE_LINK.findall(html)
    ]


@pytest.mark.parametrize("kecamatan", ["", KALIGONDANG])
def test_every_figure_of_a_generated_year_links_to_as_many_rows(client_for, staff, kecamatan):
    """The lists show every regency's rows; the generated year has the home regency's only."""
    _generated_year(4, elsewhere_too=False)
    client = client_for(staff)
    html = client.get(reverse("dashboard:index"), {"year": YEAR, "kecamatan": kecamatan}).content.decode()
    links = _figure_links(html)
    assert len(links) > 40
    wrong = [
        (name, count, listed, url)
        for name, url, count in links
        if (listed := _rows_listed(client, url)) != count
    ]
    assert wrong == []


@pytest.mark.parametrize("year", [2019, None])
@pytest.mark.parametrize("kecamatan", ["", "33.03.04"])
def test_every_figure_of_the_demo_links_to_as_many_rows(client_for, staff, demo, year, kecamatan):
    client = client_for(staff)
    params = {"kecamatan": kecamatan, **({"year": year} if year else {})}
    html = client.get(reverse("dashboard:index"), params).content.decode()
    links = _figure_links(html)
    assert len(links) > 40
    wrong = [
        (name, count, listed, url)
        for name, url, count in links
        if (listed := _rows_listed(client, url)) != count
    ]
    assert wrong == []


def test_the_staff_home_waiting_for_a_village_head_opens_only_those_formations(client_for, staff, demo):
    client = client_for(staff)
    home = client.get(reverse("home:index"))
    link = re.search(r'href="([^"]*awaiting=yes)"', home.content.decode()).group(1)
    listed = client.get(link).context["page"]
    assert [f.target.village.name for f in listed] == ["Tejasari"]
    assert listed.paginator.count == home.context["awaiting_head"]


def test_a_leader_follows_the_figures_to_the_same_rows(client_for, leader, demo):
    client = client_for(leader)
    html = client.get(reverse("dashboard:index"), {"year": 2019}).content.decode()
    wrong = [
        (name, count, listed, url)
        for name, url, count in _figure_links(html)
        if (listed := _rows_listed(client, url)) != count
    ]
    assert wrong == []
