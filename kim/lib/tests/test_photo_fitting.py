"""A photo is checked, then stored fit for phones and paper: upright, at most PHOTO_MAX_EDGE pixels on its long
edge, a JPEG without EXIF (no GPS position), with a thumbnail beside it; what is no image is refused whole."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from kim.lib.uploads import PHOTO_CHECK, fit_photo
from tests.samples import PDF, image_bytes

ORIENTATION, GPS_INFO = 0x0112, 0x8825


def phone_photo(size=(4000, 3000), *, orientation=6, quality=98) -> bytes:
    """Like a phone camera's: large, grainy (so it compresses badly), with the GPS position and an orientation
    tag (6: the camera was held upright, the picture is to be turned 90° clockwise to show)."""
    gradient = Image.linear_gradient("L").resize(size).convert("RGB")
    grain = Image.effect_noise(size, 40).convert("RGB")
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[GPS_INFO] = {1: "S", 2: (7.0, 23.0, 10.0), 3: "E", 4: (109.0, 21.0, 5.0)}
    out = io.BytesIO()
    Image.blend(gradient, grain, 0.7).save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


@pytest.fixture(scope="module")
def phone_jpeg() -> bytes:
    return phone_photo()


def _upload(content: bytes, name: str = "IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "image/jpeg")


def _opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def test_a_phone_cameras_large_photo_passes_the_photo_check(phone_jpeg, settings):
    assert len(phone_jpeg) > settings.MAX_UPLOAD_BYTES  # more than a document may weigh
    PHOTO_CHECK(_upload(phone_jpeg))


def test_a_photo_over_the_photo_limit_is_refused_in_indonesian(settings):
    settings.MAX_PHOTO_UPLOAD_BYTES = 1000
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        PHOTO_CHECK(_upload(image_bytes("JPEG", (200, 200)) + b"\0" * 1000))
    assert refused.value.code == "too_large"
    assert "terlalu besar" in refused.value.messages[0]


def test_the_phone_photo_is_stored_small_upright_and_without_its_location(phone_jpeg, settings):
    photo, thumbnail = fit_photo(_upload(phone_jpeg))

    assert len(photo) < 1_000_000 < len(phone_jpeg)
    stored = _opened(photo)
    assert stored.format == "JPEG"
    assert stored.size == (1200, 1600)  # turned upright, then shrunk to the long edge
    assert ORIENTATION not in stored.getexif()
    assert not stored.getexif().get_ifd(GPS_INFO)
    assert not stored.getexif()
    small = _opened(thumbnail)
    assert small.size == (240, 320)
    assert not small.getexif()


def test_the_long_edge_and_the_thumbnails_are_settings(settings):
    settings.PHOTO_MAX_EDGE, settings.PHOTO_THUMBNAIL_EDGE = 500, 100

    photo, thumbnail = fit_photo(_upload(image_bytes("JPEG", (1000, 400))))

    assert _opened(photo).size == (500, 200)
    assert _opened(thumbnail).size == (100, 40)


def test_a_small_photo_is_not_enlarged():
    photo, thumbnail = fit_photo(_upload(image_bytes("JPEG", (300, 200))))

    assert _opened(photo).size == (300, 200)
    assert _opened(thumbnail).size == (300, 200)


def test_a_png_with_transparency_is_laid_on_white_and_stored_as_a_jpeg():
    picture = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    picture.paste((200, 0, 0, 255), (0, 0, 20, 20))
    out = io.BytesIO()
    picture.save(out, "PNG")

    photo, _thumbnail = fit_photo(_upload(out.getvalue(), "logo.png"))

    stored = _opened(photo).convert("RGB")
    assert _opened(photo).format == "JPEG"
    assert all(channel > 245 for channel in stored.getpixel((35, 10)))  # the transparent half: white
    red, green, blue = stored.getpixel((5, 10))
    assert red > 180 and green < 40 and blue < 40


def _truncated_jpeg() -> bytes:
    whole = phone_photo((300, 200), quality=90)
    return whole[: len(whole) // 2]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("laporan.pdf", PDF, "wrong_type"),
        ("catatan.jpg", b"Rapat KIM di balai desa, 10 Januari\n" * 20, "wrong_type"),
        ("setup.jpg", b"MZ\x90\x00\x03" + b"\x00" * 500, "wrong_type"),
        ("terpotong.jpg", _truncated_jpeg(), "unreadable"),
    ],
)
def test_what_is_no_whole_image_is_refused_with_an_indonesian_message(name, content, code):
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        PHOTO_CHECK(_upload(content, name))
    assert refused.value.code == code
    assert any(word in refused.value.messages[0] for word in ("tidak diterima", "tidak dapat dibaca"))


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100 * 100)
    with pytest.raises(ValidationError) as refused:
        PHOTO_CHECK(_upload(image_bytes("PNG", (150, 150)), "bom.png"))
    assert refused.value.code == "unreadable"
