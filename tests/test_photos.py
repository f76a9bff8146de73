"""The photo pieces (kim.lib.uploads) that mentoring visits and session reports share: the download (and the
thumbnail's) after each view's own access check, photos stored small, the command that fits photos stored before,
the numbered choices to remove, and the limit on what a record keeps in all."""

import io
from functools import partial

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_max_age
from PIL import Image

from kim.lib.tests.test_photo_fitting import GPS_INFO, phone_photo
from kim.lib.uploads import photo_response, store_photos
from kim.mentoring.forms import VisitForm
from kim.mentoring.models import Visit, VisitPhoto
from outreach.reports.forms import MAX_PHOTOS, ReportForm
from outreach.reports.models import SessionPhoto
from outreach.sessions.models import Session
from tests.factories import SessionFactory, VisitFactory
from tests.samples import JPEG, PNG, image_bytes

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


# Thumbnails


def test_each_photo_links_to_its_thumbnail_by_the_same_view(visit, held_session):
    visit_photo, session_photo = _visit_photo(visit), _session_photo(held_session)

    assert visit_photo.get_thumbnail_url() == reverse(
        "mentoring:visit_photo_thumbnail", args=[visit_photo.pk]
    )
    assert session_photo.get_thumbnail_url() == reverse(
        "outreach:session_photo_thumbnail", args=[held_session.pk, session_photo.pk]
    )


def _stored(store_photo, content):
    """A photo stored as an upload is: fitted, with its thumbnail."""
    photo = store_photo()
    store_photos(lambda: photo, [SimpleUploadedFile("foto.jpg", content, "image/jpeg")])
    photo.refresh_from_db()
    return photo


def test_staff_get_the_thumbnail_a_small_jpeg(client, staff, store_photo):
    photo = _stored(store_photo, image_bytes("JPEG", (2000, 1000)))
    client.force_login(staff)

    response = client.get(photo.get_thumbnail_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert _cache_control(response) == {"private", "no-store"}
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (320, 160)


def test_the_head_of_another_village_gets_no_thumbnail(client, stranger, store_photo):
    photo = _stored(store_photo, JPEG)
    client.force_login(stranger)

    assert client.get(photo.get_thumbnail_url()).status_code == 404


def test_a_photo_without_a_thumbnail_yet_is_handed_out_whole_at_the_thumbnails_address(
    client, staff, store_photo
):
    photo = store_photo(JPEG, name="lama.jpg")
    client.force_login(staff)

    response = client.get(photo.get_thumbnail_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG


def test_the_visit_timeline_shows_thumbnails_linking_to_the_whole_photo(client, staff, visit):
    photo = _stored(partial(_visit_photo, visit), JPEG)
    client.force_login(staff)

    page = client.get(reverse("mentoring:kim_visits", args=[visit.kim_id])).content.decode()

    assert f'<img src="{photo.get_thumbnail_url()}" width="80" height="80"' in page
    assert f'href="{photo.get_absolute_url()}"' in page


# A phone camera's photo, through the form


def test_staff_record_a_visit_with_a_phone_cameras_12_mb_photo_stored_small(client, staff, kim, media):
    original = phone_photo()
    client.force_login(staff)

    response = client.post(
        reverse("mentoring:visit_create", args=[kim.pk]),
        {
            "visited_on": "2019-03-01",
            "kind": "pembinaan",
            "officers": [staff.pk],
            "topic": "Pelatihan foto berita",
            "participants": "12",
            "photos": [SimpleUploadedFile("IMG_2041.JPG", original, "image/jpeg")],
        },
    )

    assert response.status_code == 302
    photo = Visit.objects.get().photos.get()
    stored, thumbnail = (media / photo.image.name), (media / photo.thumbnail.name)
    assert stored.stat().st_size < 1_000_000 < 5_000_000 < len(original)
    with Image.open(stored) as image:
        assert image.size == (1200, 1600)
        assert not image.getexif().get_ifd(GPS_INFO)
    with Image.open(thumbnail) as image:
        assert image.size == (240, 320)


def test_a_cut_off_photo_is_refused_with_an_indonesian_message_and_nothing_saved(client, staff, kim, media):
    client.force_login(staff)
    cut = phone_photo((600, 400))[:5000]

    with translation.override("id"):
        response = client.post(
            reverse("mentoring:visit_create", args=[kim.pk]),
            {
                "visited_on": "2019-03-01",
                "kind": "pembinaan",
                "officers": [staff.pk],
                "topic": "Pelatihan foto berita",
                "participants": "12",
                "photos": [SimpleUploadedFile("IMG_2042.jpg", cut, "image/jpeg")],
            },
            HTTP_ACCEPT_LANGUAGE="id",
        )

    assert response.status_code == 200
    assert "tidak dapat dibaca" in response.context["form"].errors["photos"][0]
    assert not Visit.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


# Photos stored before thumbnails: the make_thumbnails command


def test_the_command_fits_each_photo_stored_before_and_a_second_run_changes_nothing(
    store_photo, media, django_capture_on_commit_callbacks
):
    old = store_photo(phone_photo((2400, 1800), quality=90), name="lama.jpg")
    old_name = old.image.name
    unreadable = store_photo(GIF, name="rusak.png")
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        call_command("make_thumbnails", stdout=out, stderr=io.StringIO())

    assert out.getvalue().strip() == "1 photos fitted with a thumbnail, 0 already had one, 1 unreadable."
    old.refresh_from_db()
    assert old.thumbnail
    assert not (media / old_name).exists()
    with Image.open(media / old.image.name) as image:
        assert image.size == (1200, 1600)
        assert not image.getexif()
    unreadable.refresh_from_db()
    assert not unreadable.thumbnail

    again = io.StringIO()
    with translation.override("en"):
        call_command("make_thumbnails", stdout=again, stderr=io.StringIO())
    assert again.getvalue().strip() == "0 photos fitted with a thumbnail, 1 already had one, 1 unreadable."
    assert type(old).objects.get(pk=old.pk).image.name == old.image.name


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
