"""An upload is taken only when its whole file reads as the type its first bytes claim."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kim.lib.uploads import DOCUMENT_TYPES, PHOTO_TYPES, SCAN_TYPES, FileCheck, PrivatePath
from tests.samples import JPEG, PDF, PNG, image_bytes, pdf_bytes

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _upload(content: bytes, name: str = "file") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


def _refusal(check: FileCheck, content: bytes, name: str = "file") -> str | None:
    try:
        check(_upload(content, name))
    except ValidationError as error:
        return error.code
    return None


@pytest.mark.parametrize(
    ("check", "content"),
    [
        (FileCheck(DOCUMENT_TYPES), PDF),
        (FileCheck(DOCUMENT_TYPES), pdf_bytes(3)),
        (FileCheck(SCAN_TYPES), JPEG),
    ],
)
def test_a_whole_file_of_an_accepted_type_is_taken(check, content):
    assert _refusal(check, content) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("html behind a pdf header", b"%PDF-1.7\n" + HTML + b"\n%%EOF\n"),
        ("a pdf skeleton with no page", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
        ("a truncated pdf", PDF[: len(PDF) // 2]),
        ("a pdf header only", b"%PDF-"),
    ],
)
def test_what_only_starts_like_a_pdf_is_refused_as_unreadable(name, content):
    assert _refusal(FileCheck(DOCUMENT_TYPES), content) == "unreadable"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a jpeg header followed by garbage", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
        ("a jpeg header followed by html", JPEG[:20] + HTML * 5),
        ("a truncated jpeg", JPEG[: len(JPEG) // 2]),
        ("a truncated png", PNG[:-20]),
        ("a png signature then garbage", PNG[:16] + b"x" * 200),
    ],
)
def test_what_only_starts_like_an_image_is_refused_as_unreadable(name, content):
    assert _refusal(FileCheck(SCAN_TYPES), content) == "unreadable"


@pytest.mark.parametrize("content", [HTML, b"GIF89a" + b"\x00" * 40, b"", b"MZ\x90\x00"])
def test_a_file_of_another_type_is_refused_whatever_its_name(content):
    assert _refusal(FileCheck(SCAN_TYPES), content, name="surat.pdf") == "wrong_type"


def test_a_pdf_is_no_photo():
    assert _refusal(FileCheck(PHOTO_TYPES), PDF, name="foto.jpg") == "wrong_type"


def test_the_unreadable_file_is_explained_in_indonesian(settings):
    from django.utils import translation

    with translation.override("id"):
        with pytest.raises(ValidationError) as refused:
            FileCheck(DOCUMENT_TYPES)(_upload(b"%PDF-1.4\n" + HTML))
        assert "Berkas ini tampak seperti PDF" in refused.value.messages[0]


def test_a_picture_with_more_pixels_than_pillow_allows_is_refused(monkeypatch):
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10)
    assert _refusal(FileCheck(PHOTO_TYPES), image_bytes("PNG", (5, 5))) == "unreadable"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    whole=st.sampled_from([PDF, PNG, JPEG]),
    cut=st.integers(min_value=1, max_value=60),
    tail=st.binary(max_size=40),
)
def test_a_damaged_file_is_taken_or_refused_never_an_error_of_another_kind(whole, cut, tail):
    code = _refusal(FileCheck(SCAN_TYPES), whole[:-cut] + tail)
    assert code in (None, "unreadable", "wrong_type")


@pytest.mark.parametrize(
    ("filename", "suffix"),
    [("x.pdf", ".pdf"), ("X.PNG", ".png"), ("x.html", ""), ("x.pdf.exe", ""), ("x", "")],
)
def test_a_stored_name_keeps_only_a_suffix_of_an_accepted_type(filename, suffix):
    stored = PrivatePath("sk")(None, filename)
    assert stored.startswith("sk/") and stored.endswith(suffix) and "." not in stored.removesuffix(suffix)
