"""The recap as a PDF: A4, under the office's letterhead, numbered pages, ending with the signature block."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from kim.dashboard.selectors import programme_year
from kim.lib.pdf import weasyprint
from kim.lib.uploads import PHOTO_CHECK
from kim.office.models import Office, Signatory
from kim.recap.services import recap_write

pytestmark = pytest.mark.django_db

A4 = (595, 842)  # points, portrait


def build_pdf(year, district="") -> PdfReader:
    output = io.BytesIO()
    recap_write(output, year=year, district=district, file_format="pdf", progress=lambda *a: None)
    output.seek(0)
    return PdfReader(output)


def text_of(reader: PdfReader) -> str:
    # Extracted lines keep the words of a cell together; spaces between cells vary, so they are evened out.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_pdf_holds_the_title_period_letterhead_and_signature_block(demo, signed):
    Office.objects.filter(pk=1).update(address="Jl. Alun-alun Utara No. 1", postal_code="53311")
    reader = build_pdf(2019)
    text = text_of(reader)
    assert "Rekapitulasi Program KIM Tahun 2019" in text
    assert "Periode: 1 Januari 2019 s.d. 31 Desember 2019" in text
    assert "PEMERINTAH KABUPATEN PURBALINGGA" in text
    assert "DINAS KOMUNIKASI DAN INFORMATIKA" in text
    assert "Jl. Alun-alun Utara No. 1 Purbalingga 53311" in text
    assert "Mengetahui," in text
    assert "Kepala Dinas Komunikasi dan Informatika" in text
    assert "Budi Santoso, S.Sos., M.Si." in text
    assert "NIP. 19700101 199503 1 001" in text
    assert "Sri Wahyuni, S.Kom." in text
    assert "NIP. 19800515 200501 2 002" in text
    assert "Purbalingga, " in text


def test_every_page_is_a4_and_numbered_of_the_total(demo, signed):
    reader = build_pdf(2019)
    pages = len(reader.pages)
    assert pages >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4
        assert f"Halaman {number} dari {pages}" in " ".join(page.extract_text().split())


def test_the_pdfs_summary_shows_the_dashboards_figures(demo, signed):
    year = timezone.localdate().year
    figures = programme_year(year, "33.03.04")
    text = text_of(build_pdf(year, "33.03.04"))
    assert "Kecamatan Kaligondang" in text
    assert f"KIM terdaftar sampai akhir tahun {figures.kims.total}" in text
    assert f"Sesi yang terlaksana atau direncanakan tahun ini {figures.sessions.total}" in text
    assert f"Tindak lanjut yang disepakati {figures.follow_ups.total}" in text


def test_placeholder_signatories_print_a_blank_nip_line(demo):
    Signatory.objects.filter(
        role=Signatory.Role.HEAD
    ).delete()  # the demo names one; the default is a placeholder
    text = text_of(build_pdf(2019))
    assert "[Ganti] Nama Kepala Dinas" in text
    assert "NIP. ……" in text


def test_the_pdf_fetches_nothing_from_outside(demo, signed, monkeypatch):
    """A name typed into the letterhead is text, never markup, and no URL is fetched while rendering."""
    import urllib.request

    def refuse(*args, **kwargs):
        raise AssertionError("a URL was fetched")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    Office.objects.filter(pk=1).update(name='<img src="http://example.com/x.png">Dinas')
    text = text_of(build_pdf(2019))
    assert '<IMG SRC="HTTP://EXAMPLE.COM/X.PNG">DINAS' in text


def test_the_letterheads_logo_is_drawn_from_the_stored_file(demo, signed, media):
    from django.core.files.base import ContentFile
    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (60, 60), "green").save(image, format="PNG")
    office = Office.objects.get()
    office.logo.save("lambang.png", ContentFile(image.getvalue()))
    first_page = build_pdf(2019).pages[0]
    assert len(first_page.images) == 1


def test_a_target_list_too_long_to_print_is_left_to_the_workbook(demo, signed, monkeypatch):
    monkeypatch.setattr("kim.recap.pdf.MAX_TARGET_ROWS", 0)
    text = text_of(build_pdf(2019))
    assert "Dan 1 desa sasaran lainnya, tercantum dalam berkas Excel." in text
    assert "Selakambang KIM aktif" not in text


def test_rendering_a_pdf_leaves_photo_uploads_refusing_a_truncated_image():
    """WeasyPrint tells Pillow, on import, to accept truncated images in the whole process."""
    weasyprint()
    whole = io.BytesIO()
    Image.new("RGB", (400, 300), "green").save(whole, format="JPEG")
    cut = SimpleUploadedFile("terpotong.jpg", whole.getvalue()[:-400], content_type="image/jpeg")
    with pytest.raises(ValidationError):
        PHOTO_CHECK(cut)
