"""The photo pieces (kim.lib.uploads) that mentoring visits and session reports share: the download after each
view's own access check, the numbered choices to remove, and the limit on what a record keeps in all."""

from functools import partial

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_max_age

from kim.lib.uploads import photo_response
from kim.mentoring.forms import VisitForm
from kim.mentoring.models import VisitPhoto
from outreach.reports.forms import MAX_PHOTOS, ReportForm
from outreach.reports.models import SessionPhoto
from outreach.sessions.models import Session
from tests.factories import SessionFactory, VisitFactory
from tests.samples import JPEG, PNG

GIF = b"GIF89a" + b"\x00" * 64

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def visit(kim):
    return VisitFactory(kim=kim)


@pytest.fixture
def held_session(agency, kim):
    """Held, so that its report may keep photos."""
    return SessionFactory(agency=agency, kim=kim, state=Session.State.HELD)


def _visit_photo(visit, content=PNG, name="foto.png"):
    return VisitPhoto.objects.create(visit=visit, image=ContentFile(content, name=name))


def _session_photo(session, content=PNG, name="foto.png"):
    return SessionPhoto.objects.create(session=session, image=ContentFile(content, name=name))


@pytest.fixture(params=["visit", "session report"])
def store_photo(request, visit, held_session):
    """Stores a photo of a mentoring visit or of a session's report: each test using it runs with both."""
    if request.param == "visit":
        return partial(_visit_photo, visit)
    return partial(_session_photo, held_session)


# The download


def test_a_photo_is_handed_out_inline_as_the_type_its_bytes_say(visit):
    photo = _visit_photo(visit, JPEG, name="rapat.png")

    response = photo_response(photo, filename="kunjungan-1-2")

    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="kunjungan-1-2.jpg"'
    assert _cache_control(response) == {"private", "no-store"}
    assert b"".join(response.streaming_content) == JPEG


def test_each_photo_links_to_the_view_that_checks_who_may_see_it(visit, held_session):
    visit_photo, session_photo = _visit_photo(visit), _session_photo(held_session)

    assert visit_photo.get_absolute_url() == reverse("mentoring:visit_photo", args=[visit_photo.pk])
    assert session_photo.get_absolute_url() == reverse(
        "outreach:session_photo", args=[held_session.pk, session_photo.pk]
    )


def test_staff_get_the_photo(client, staff, store_photo):
    photo = store_photo()
    client.force_login(staff)

    response = client.get(photo.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_a_photo_is_kept_in_no_cache_like_every_page_with_no_max_age_to_contradict_it(
    client, staff, store_photo
):
    photo = store_photo()
    client.force_login(staff)

    response = client.get(photo.get_absolute_url())

    assert response.status_code == 200
    assert _cache_control(response) == {"private", "no-store"}
    assert get_max_age(response) is None


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_the_head_of_another_village_gets_no_photo(client, stranger, store_photo):
    photo = store_photo()
    client.force_login(stranger)

    assert client.get(photo.get_absolute_url()).status_code == 404


def test_a_stored_file_that_is_no_photo_is_not_handed_out(client, staff, store_photo):
    photo = store_photo(GIF)
    client.force_login(staff)

    assert client.get(photo.get_absolute_url()).status_code == 404


def test_a_photo_whose_file_is_gone_is_not_found(client, staff, media, store_photo):
    photo = store_photo()
    for path in media.rglob("*.png"):
        path.unlink()
    client.force_login(staff)

    assert client.get(photo.get_absolute_url()).status_code == 404


# The choices to remove


def test_the_photos_to_remove_are_numbered_in_the_order_they_were_added(visit):
    photos = [_visit_photo(visit), _visit_photo(visit)]

    with translation.override("en"):
        choices = list(VisitForm(visit=visit).fields["remove_photos"].choices)

    assert [(value.value, label) for value, label in choices] == [
        (photos[0].pk, "Photo 1 of the visit"),
        (photos[1].pk, "Photo 2 of the visit"),
    ]


# The limit on what a record keeps


def _report_data():
    return {
        "attended_male": "1",
        "attended_female": "1",
        "follow_ups-TOTAL_FORMS": "0",
        "follow_ups-INITIAL_FORMS": "0",
    }


def _uploads(count):
    return [SimpleUploadedFile(f"{n}.png", PNG, "image/png") for n in range(count)]


def test_a_report_at_the_limit_takes_no_more_photos(held_session):
    for _ in range(MAX_PHOTOS):
        _session_photo(held_session)

    form = ReportForm(_report_data(), {"photos": _uploads(1)}, session=held_session)

    assert not form.is_valid()
    assert list(form.errors) == ["photos"]


def test_a_report_at_the_limit_takes_a_photo_for_each_one_removed(held_session):
    held = [_session_photo(held_session) for _ in range(MAX_PHOTOS)]

    form = ReportForm(
        {**_report_data(), "remove_photos": [held[0].pk]}, {"photos": _uploads(1)}, session=held_session
    )

    assert form.is_valid(), form.errors
