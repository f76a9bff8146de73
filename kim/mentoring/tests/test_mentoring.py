"""The mentoring log: visits to a KIM, their photos, the timeline and the overdue flag."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kim.accounts.models import Role
from kim.mentoring import services
from kim.mentoring.forms import MAX_PHOTOS
from kim.mentoring.models import Visit, VisitPhoto
from kim.register.models import Kim
from tests.factories import KimFactory, UserFactory, VisitFactory
from tests.samples import JPEG, PNG

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "media")]

GIF = b"GIF89a" + b"\x00" * 64
NOON_WIB = dt.time(12, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, NOON_WIB)


def _png(name="foto.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _jpeg(name="foto.jpg"):
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def _stored_files(media):
    return sorted(path.name for path in media.rglob("*") if path.is_file())


def _record(kim, actor, visited_on, photos=(), **overrides):
    values = {
        "kim": kim,
        "actor": actor,
        "visited_on": visited_on,
        "kind": Visit.Kind.PENDAMPINGAN,
        "officers": [actor],
        "topic": "Pengelolaan media sosial desa",
        "participants": 12,
        "notes": "",
        "photos": photos,
    }
    return services.visit_record(**(values | overrides))


def _update_values(visit, **changes):
    values = {
        "visit": visit,
        "actor": visit.recorded_by,
        "visited_on": visit.visited_on,
        "kind": visit.kind,
        "officers": list(visit.officers.all()),
        "topic": visit.topic,
        "participants": visit.participants,
        "notes": visit.notes,
    }
    return values | changes


def _form_data(officer, **changes):
    return {
        "visited_on": "2019-03-01",
        "kind": "pembinaan",
        "officers": [officer.pk],
        "topic": "Pelatihan menulis berita desa",
        "participants": "15",
        "notes": "Peserta dari karang taruna.",
    } | changes


# Services


def test_recording_visits_keeps_the_latest_date_on_the_kim(kim, staff):
    _record(kim, staff, dt.date(2019, 3, 1))
    _record(kim, staff, dt.date(2019, 2, 1))
    kim.refresh_from_db()
    assert kim.last_visit_on == dt.date(2019, 3, 1)
    assert Visit.objects.get(visited_on=dt.date(2019, 2, 1)).recorded_by == staff


def test_moving_the_latest_visit_earlier_moves_the_kims_last_visit(kim, staff):
    _record(kim, staff, dt.date(2019, 2, 1))
    latest = _record(kim, staff, dt.date(2019, 3, 1))
    services.visit_update(**_update_values(latest, visited_on=dt.date(2019, 1, 15)))
    kim.refresh_from_db()
    assert kim.last_visit_on == dt.date(2019, 2, 1)


def test_deleting_visits_recomputes_the_last_visit_down_to_none(kim, staff):
    first = _record(kim, staff, dt.date(2019, 2, 1))
    latest = _record(kim, staff, dt.date(2019, 3, 1))
    services.visit_delete(visit=latest, actor=staff)
    kim.refresh_from_db()
    assert kim.last_visit_on == dt.date(2019, 2, 1)
    services.visit_delete(visit=first, actor=staff)
    kim.refresh_from_db()
    assert kim.last_visit_on is None


def test_a_kim_is_overdue_the_day_after_the_cadence_runs_out(kim, staff, settings):
    settings.KIM_VISIT_CADENCE_DAYS = 90
    _record(kim, staff, dt.date(2019, 3, 1))
    kim.refresh_from_db()
    with time_machine.travel(_at(dt.date(2019, 5, 30)), tick=False):
        assert not kim.visit_overdue()
    with time_machine.travel(_at(dt.date(2019, 5, 31)), tick=False):
        assert kim.visit_overdue()


def test_a_new_visit_clears_the_overdue_flag(kim, staff):
    with time_machine.travel(_at(dt.date(2019, 9, 1)), tick=False):
        assert kim.visit_overdue()
        _record(kim, staff, dt.date(2019, 8, 30))
        kim.refresh_from_db()
        assert not kim.visit_overdue()


def test_deleting_a_visit_removes_its_photo_files_once_committed(
    kim, staff, media, django_capture_on_commit_callbacks
):
    visit = _record(kim, staff, dt.date(2019, 3, 1), photos=[_png(), _jpeg()])
    assert len(_stored_files(media)) == 4  # each photo and its thumbnail
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_delete(visit=visit, actor=staff)
    assert _stored_files(media) == []
    assert not VisitPhoto.objects.exists()


def test_photos_are_stored_as_jpegs_with_thumbnails_whatever_name_they_came_with(kim, staff, media):
    visit = _record(kim, staff, dt.date(2019, 3, 1), photos=[_png("shell.php"), _jpeg("gambar.PNG")])
    assert [name.rsplit(".", 1)[1] for name in _stored_files(media)] == ["jpg"] * 4
    for photo in visit.photos.all():
        assert photo.image.name.startswith("visits/")
        assert photo.thumbnail.name.startswith("thumbnails/")


def test_a_photo_that_fails_to_save_leaves_no_visit_and_no_files(kim, staff, media, monkeypatch):
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise OSError("disk full")
        return original_save(self, *args, **kwargs)

    original_save = VisitPhoto.save
    monkeypatch.setattr(VisitPhoto, "save", failing_save)
    with pytest.raises(OSError):
        _record(kim, staff, dt.date(2019, 3, 1), photos=[_png(), _png()])
    assert not Visit.objects.exists()
    assert _stored_files(media) == []
    kim.refresh_from_db()
    assert kim.last_visit_on is None


# Views


def test_staff_record_a_visit_with_photos(client, staff, kim):
    colleague = UserFactory(role=Role.STAFF_ADMIN, first_name="Sri")
    client.force_login(staff)
    response = client.post(
        reverse("mentoring:visit_create", args=[kim.pk]),
        _form_data(staff, officers=[staff.pk, colleague.pk], photos=[_png(), _jpeg()]),
    )
    assert response.status_code == 302
    assert response.url == reverse("mentoring:kim_visits", args=[kim.pk])
    visit = Visit.objects.get()
    assert (visit.kim, visit.kind, visit.participants, visit.recorded_by) == (kim, "pembinaan", 15, staff)
    assert set(visit.officers.all()) == {staff, colleague}
    assert visit.photos.count() == 2
    kim.refresh_from_db()
    assert kim.last_visit_on == dt.date(2019, 3, 1)
    page = client.get(response.url)
    assert "Pelatihan menulis berita desa" in page.content.decode()


def test_the_visit_form_shows_its_date_as_the_date_input_expects(client, staff, kim):
    visit = _record(kim, staff, dt.date(2019, 3, 1))
    client.force_login(staff)
    page = client.get(reverse("mentoring:visit_edit", args=[visit.pk])).content.decode()
    assert 'type="date"' in page
    assert 'value="2019-03-01"' in page
    assert "multiple" in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize("persona", ["head", "officer"])
def test_a_village_head_or_an_agency_officer_cannot_record_a_visit(client, request, persona, staff, kim):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("mentoring:visit_create", args=[kim.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form_data(staff)).status_code == 403
    assert not Visit.objects.exists()


@pytest.mark.parametrize("persona", ["head", "officer"])
def test_a_village_head_or_an_agency_officer_cannot_change_or_delete_a_visit(
    client, request, persona, staff, kim
):
    visit = _record(kim, staff, dt.date(2019, 3, 1))
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("mentoring:visit_edit", args=[visit.pk]), _form_data(staff)).status_code == 403
    assert client.post(reverse("mentoring:visit_delete", args=[visit.pk])).status_code == 403
    visit.refresh_from_db()
    assert visit.kind == Visit.Kind.PENDAMPINGAN


def test_the_head_of_another_village_gets_404_for_the_timeline_and_a_photo(client, stranger, staff, kim):
    visit = _record(kim, staff, dt.date(2019, 3, 1), photos=[_png()])
    client.force_login(stranger)
    assert client.get(reverse("mentoring:kim_visits", args=[kim.pk])).status_code == 404
    assert client.get(reverse("mentoring:visit_photo", args=[visit.photos.get().pk])).status_code == 404


def test_the_village_head_and_an_agency_officer_read_the_timeline_without_edit_links(
    client, head, officer, staff, kim
):
    visit = _record(kim, staff, dt.date(2019, 3, 1), photos=[_png()])
    for reader in (head, officer):
        client.force_login(reader)
        page = client.get(reverse("mentoring:kim_visits", args=[kim.pk]))
        assert page.status_code == 200
        assert reverse("mentoring:visit_photo", args=[visit.photos.get().pk]) in page.content.decode()
        assert reverse("mentoring:visit_edit", args=[visit.pk]) not in page.content.decode()
        assert reverse("mentoring:visit_create", args=[kim.pk]) not in page.content.decode()


def test_a_kim_still_being_formed_has_no_timeline(client, staff, village):
    forming = KimFactory(village=village, status=Kim.Status.FORMING)
    client.force_login(staff)
    assert client.get(reverse("mentoring:kim_visits", args=[forming.pk])).status_code == 404
    assert client.get(reverse("mentoring:visit_create", args=[forming.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, staff, kim):
    visit = _record(kim, staff, dt.date(2019, 3, 1), photos=[_png()])
    for url in (
        reverse("mentoring:kim_visits", args=[kim.pk]),
        reverse("mentoring:visit_create", args=[kim.pk]),
        reverse("mentoring:visit_edit", args=[visit.pk]),
        reverse("mentoring:visit_photo", args=[visit.photos.get().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_pages_refuse_the_wrong_method(client, staff, kim):
    visit = _record(kim, staff, dt.date(2019, 3, 1), photos=[_png()])
    client.force_login(staff)
    assert client.get(reverse("mentoring:visit_delete", args=[visit.pk])).status_code == 405
    assert client.post(reverse("mentoring:kim_visits", args=[kim.pk])).status_code == 405
    assert client.post(reverse("mentoring:visit_photo", args=[visit.photos.get().pk])).status_code == 405
    assert client.put(reverse("mentoring:visit_create", args=[kim.pk])).status_code == 405
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_staff_delete_a_visit_and_the_last_visit_goes_back(
    client, staff, kim, media, django_capture_on_commit_callbacks
):
    _record(kim, staff, dt.date(2019, 2, 1))
    latest = _record(kim, staff, dt.date(2019, 3, 1), photos=[_png()])
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mentoring:visit_delete", args=[latest.pk]))
    assert response.status_code == 302
    assert not Visit.objects.filter(pk=latest.pk).exists()
    assert _stored_files(media) == []
    kim.refresh_from_db()
    assert kim.last_visit_on == dt.date(2019, 2, 1)


def test_staff_edit_a_visit_replacing_one_photo(
    client, staff, kim, media, django_capture_on_commit_callbacks
):
    visit = _record(kim, staff, dt.date(2019, 3, 1), photos=[_png(), _png()])
    old, kept = visit.photos.order_by("pk")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentoring:visit_edit", args=[visit.pk]),
            _form_data(staff, visited_on="2019-04-02", remove_photos=[old.pk], photos=[_jpeg()]),
        )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.topic == "Pelatihan menulis berita desa"
    assert visit.recorded_by == staff
    assert visit.photos.count() == 2
    assert not VisitPhoto.objects.filter(pk=old.pk).exists()
    assert VisitPhoto.objects.filter(pk=kept.pk).exists()
    assert (
        len(_stored_files(media)) == 4
    )  # the two photos kept and their thumbnails; the removed one's are gone
    kim.refresh_from_db()
    assert kim.last_visit_on == dt.date(2019, 4, 2)


def test_editing_keeps_an_officer_who_has_since_left(client, staff, kim):
    former = UserFactory(role=Role.STAFF, is_active=False)
    visit = _record(kim, staff, dt.date(2019, 3, 1), officers=[former])
    client.force_login(staff)
    response = client.post(
        reverse("mentoring:visit_edit", args=[visit.pk]), _form_data(former, topic="Topik baru")
    )
    assert response.status_code == 302
    assert list(visit.officers.all()) == [former]


def test_only_active_staff_can_be_named_as_officers(client, staff, head, officer, kim):
    client.force_login(staff)
    for outsider in (head, officer, UserFactory(role=Role.STAFF, is_active=False)):
        response = client.post(reverse("mentoring:visit_create", args=[kim.pk]), _form_data(outsider))
        assert response.status_code == 200
        assert "officers" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_a_visit_in_the_future_is_refused(client, staff, kim):
    client.force_login(staff)
    with time_machine.travel(_at(dt.date(2019, 3, 1)), tick=False):
        response = client.post(
            reverse("mentoring:visit_create", args=[kim.pk]), _form_data(staff, visited_on="2019-03-02")
        )
    assert response.status_code == 200
    assert response.context["form"].errors["visited_on"] == ["The visit cannot be in the future."]
    assert not Visit.objects.exists()


def test_a_photo_of_the_wrong_type_is_refused_and_nothing_is_saved(client, staff, kim, media):
    client.force_login(staff)
    disguised = SimpleUploadedFile("foto.jpg", GIF, content_type="image/jpeg")
    response = client.post(
        reverse("mentoring:visit_create", args=[kim.pk]), _form_data(staff, photos=[_png(), disguised])
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["photos"]
    assert errors == ["foto.jpg: This file type is not accepted; upload JPG, PNG."]
    assert "This file type is not accepted" in response.content.decode()
    assert not Visit.objects.exists()
    assert not VisitPhoto.objects.exists()
    assert _stored_files(media) == []
    kim.refresh_from_db()
    assert kim.last_visit_on is None


def test_an_oversized_photo_is_refused_and_nothing_is_saved(client, staff, kim, media, settings):
    settings.MAX_PHOTO_UPLOAD_BYTES = 1024
    client.force_login(staff)
    large = SimpleUploadedFile("besar.jpg", JPEG + b"\x00" * 2048, content_type="image/jpeg")
    response = client.post(
        reverse("mentoring:visit_create", args=[kim.pk]), _form_data(staff, photos=[large])
    )
    assert response.status_code == 200
    assert "too large" in response.context["form"].errors["photos"][0]
    assert not Visit.objects.exists()
    assert _stored_files(media) == []


def test_more_photos_than_allowed_are_refused(client, staff, kim, media):
    client.force_login(staff)
    photos = [_png(f"{n}.png") for n in range(MAX_PHOTOS + 1)]
    response = client.post(reverse("mentoring:visit_create", args=[kim.pk]), _form_data(staff, photos=photos))
    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == [f"Upload at most {MAX_PHOTOS} photos at a time."]
    assert not Visit.objects.exists()
    assert _stored_files(media) == []


def test_ids_no_row_can_have_are_refused_not_a_server_error(client, staff, kim):
    visit = _record(kim, staff, dt.date(2019, 3, 1), photos=[_png()])
    client.force_login(staff)
    huge = str(2**64)
    response = client.post(
        reverse("mentoring:visit_edit", args=[visit.pk]),
        _form_data(staff, officers=[huge], remove_photos=[huge]),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"officers", "remove_photos"}
    assert visit.photos.count() == 1


def test_an_edit_cannot_take_a_visit_past_the_photo_limit(client, staff, kim):
    visit = _record(kim, staff, dt.date(2019, 3, 1), photos=[_png() for _ in range(MAX_PHOTOS)])
    client.force_login(staff)
    response = client.post(
        reverse("mentoring:visit_edit", args=[visit.pk]), _form_data(staff, photos=[_png()])
    )
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors
    assert visit.photos.count() == MAX_PHOTOS


def test_a_photo_is_served_inline_as_the_jpeg_it_was_stored_as(client, head, staff, kim):
    visit = _record(kim, staff, dt.date(2019, 3, 1), photos=[_png("rapat.png")])
    photo = visit.photos.get()
    client.force_login(head)
    response = client.get(reverse("mentoring:visit_photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'inline; filename="kunjungan-{visit.pk}-{photo.pk}.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    with photo.image.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_a_photo_whose_file_is_gone_is_a_404(client, staff, kim, media):
    visit = _record(kim, staff, dt.date(2019, 3, 1), photos=[_png()])
    (media / visit.photos.get().image.name).unlink()
    client.force_login(staff)
    assert client.get(reverse("mentoring:visit_photo", args=[visit.photos.get().pk])).status_code == 404


def test_the_timeline_warns_when_the_kim_is_overdue(client, staff, kim):
    _record(kim, staff, dt.date(2019, 3, 1))
    client.force_login(staff)
    with time_machine.travel(_at(dt.date(2019, 7, 1)), tick=False):
        page = client.get(reverse("mentoring:kim_visits", args=[kim.pk])).content.decode()
    assert "Overdue for a mentoring visit" in page
    assert "1 March 2019" in page or "1 Maret 2019" in page
    with time_machine.travel(_at(dt.date(2019, 4, 1)), tick=False):
        page = client.get(reverse("mentoring:kim_visits", args=[kim.pk])).content.decode()
    assert "Overdue for a mentoring visit" not in page


@pytest.mark.parametrize("visits", [1, 20])
def test_the_timeline_runs_a_fixed_number_of_queries(client, staff, kim, django_assert_num_queries, visits):
    officers = UserFactory.create_batch(2, role=Role.STAFF)
    for day in range(visits):
        visit = VisitFactory(kim=kim, visited_on=dt.date(2019, 1, 1) + dt.timedelta(days=day))
        visit.officers.set(officers)
        VisitPhoto.objects.bulk_create(
            VisitPhoto(visit=visit, image=f"visits/{day}-{n}.png") for n in range(3)
        )
    client.force_login(staff)
    # user, the navbar's counts, KIM, visits, their officers, their photos (the session is read from the cache)
    with django_assert_num_queries(6):
        response = client.get(reverse("mentoring:kim_visits", args=[kim.pk]))
    assert response.content.decode().count('<img src="/kim/kunjungan/foto/') == visits * 3


# Junk input

NASTY = st.sampled_from(
    ["", " ", "\x00", "-1", "0", "99999999999999999999", "2019-02-30", "31-12-9999", "0001-01-01", "x" * 5000]
)
TEXT = st.one_of(st.text(max_size=300), NASTY)
JUNK_FILES = st.lists(
    st.tuples(
        st.text(min_size=1, max_size=40), st.one_of(st.binary(max_size=64), st.sampled_from([PNG, GIF]))
    ),
    max_size=3,
)


def _snapshot():
    return (
        list(Visit.objects.values_list("id", "visited_on", "kind", "topic", "participants", "notes")),
        VisitPhoto.objects.count(),
        list(Kim.objects.values_list("id", "last_visit_on")),
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "visited_on": st.one_of(TEXT, st.just("2019-03-01")),
            "kind": st.one_of(TEXT, st.sampled_from(Visit.Kind.values)),
            "officers": st.one_of(TEXT, st.just("OFFICER")),
            "topic": TEXT,
            "participants": st.one_of(TEXT, st.integers().map(str)),
            "notes": TEXT,
        },
    ),
    files=JUNK_FILES,
)
@example(data={"officers": "9223372036854775808"}, files=[])  # once a server error on SQLite
def test_the_visit_form_survives_any_input(client, staff, kim, media, data, files):
    client.force_login(staff)
    if data.get("officers") == "OFFICER":
        data["officers"] = str(staff.pk)
    # The test client itself refuses names such as "/" or "..": keep the junk, but give it a base name.
    uploads = [SimpleUploadedFile("f" + name.replace("/", "_"), content) for name, content in files]
    before, files_before = _snapshot(), _stored_files(media)
    response = client.post(reverse("mentoring:visit_create", args=[kim.pk]), {**data, "photos": uploads})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _snapshot() == before, "a refused form changed the database"
        assert _stored_files(media) == files_before, "a refused form left files behind"
