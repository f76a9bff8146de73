"""The letterhead and the signatories: staff administrators keep them, in Indonesian, saving nothing partial."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kim.audit.models import Change
from kim.office.models import Office, Signatory
from kim.office.selectors import get_office, signatories

pytestmark = pytest.mark.django_db

DETAIL = reverse("office:detail")
EDIT = reverse("office:edit")
HEAD = reverse("office:signatory_edit", args=["head"])
PREPARER = reverse("office:signatory_edit", args=["preparer"])

LETTERHEAD = {
    "name": "Dinas Komunikasi dan Informatika",
    "address": "Jl. Alun-alun Utara No. 1",
    "postal_code": "53311",
    "phone": "(0281) 891012",
    "email": "dinkominfo@example.go.id",
    "website": "https://dinkominfo.example.go.id",
    "place": "Purbalingga",
}
KEPALA = {
    "name": "Budi Santoso, S.Sos., M.Si.",
    "nip": "19700101 199503 1 001",
    "position": "Kepala Dinas Komunikasi dan Informatika",
    "rank": "Pembina Utama Muda (IV/c)",
}


def _png(size=(40, 40)) -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", size, "red").save(output, format="PNG")
    return SimpleUploadedFile("lambang.png", output.getvalue(), content_type="image/png")


def test_the_migration_leaves_defaults_marked_to_be_replaced_and_names_nobody():
    office = Office.objects.get()
    assert office.is_placeholder
    assert office.name == "Dinas Komunikasi dan Informatika"
    assert office.government_line == "PEMERINTAH KABUPATEN PURBALINGGA"
    assert office.place == "Purbalingga"
    people = Signatory.objects.order_by("role")
    assert [(person.role, person.is_placeholder, person.nip) for person in people] == [
        ("head", True, ""),
        ("preparer", True, ""),
    ]
    assert all(person.name.startswith("[Ganti]") for person in people)


def test_the_government_line_follows_the_regency_in_settings(settings):
    settings.KIM_REGENCY_NAME = "Kabupaten Banjarnegara"
    assert get_office().government_line == "PEMERINTAH KABUPATEN BANJARNEGARA"


def test_staff_admin_sees_the_letterhead_and_is_warned_of_the_defaults(client, staff_admin):
    client.force_login(staff_admin)
    page = client.get(DETAIL).content.decode()
    assert "PEMERINTAH KABUPATEN PURBALINGGA" in page
    assert "DINAS KOMUNIKASI DAN INFORMATIKA" in page
    assert "Mengetahui," in page
    assert "masih bawaan" in page


def test_staff_admin_saves_the_letterhead_with_a_logo(client, staff_admin, media):
    client.force_login(staff_admin)
    response = client.post(EDIT, {**LETTERHEAD, "logo": _png()})
    assert response.status_code == 302
    office = Office.objects.get()
    assert not office.is_placeholder
    assert office.phone == "+62281891012"
    assert office.logo.name.endswith(".png")
    assert office.address_line == "Jl. Alun-alun Utara No. 1 Telp. (0281) 891012 Purbalingga 53311"
    page = client.get(DETAIL).content.decode()
    assert "Kop surat disimpan." in page
    assert reverse("office:logo") in page
    # Saved through a form, so it is on the audit trail with its author.
    assert Change.objects.filter(subject_repr=office.name, actor=staff_admin).exists()


def test_every_role_reads_the_logo_that_documents_show(client, staff_admin, head, media):
    client.force_login(staff_admin)
    client.post(EDIT, {**LETTERHEAD, "logo": _png()})
    client.force_login(head)
    response = client.get(reverse("office:logo"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_a_file_that_is_no_image_is_refused_in_indonesian_and_nothing_is_saved(client, staff_admin, media):
    client.force_login(staff_admin)
    fake = SimpleUploadedFile(
        "lambang.png", b"\x89PNG\r\n\x1a\n" + b"bukan gambar" * 10, content_type="image/png"
    )
    response = client.post(EDIT, {**LETTERHEAD, "address": "Alamat baru", "logo": fake})
    assert response.status_code == 200
    assert "tidak dapat dibaca" in " ".join(response.context["form"].errors["logo"])
    assert "belum ada data yang disimpan" in response.content.decode()
    office = Office.objects.get()
    assert office.address != "Alamat baru"
    assert office.is_placeholder


def test_a_wrong_postal_code_and_email_are_refused_in_indonesian(client, staff_admin):
    client.force_login(staff_admin)
    response = client.post(EDIT, {**LETTERHEAD, "postal_code": "5331", "email": "bukan-surel"})
    errors = response.context["form"].errors
    assert errors["postal_code"] == ["Kode pos terdiri dari tepat 5 angka."]
    assert "email" in errors
    assert Office.objects.get().postal_code == ""


def test_staff_admin_sets_the_head_of_office_with_the_nip_typed_in_groups(client, staff_admin):
    client.force_login(staff_admin)
    response = client.post(HEAD, KEPALA)
    assert response.status_code == 302
    head = signatories()["head"]
    assert (head.name, head.nip, head.is_placeholder) == (KEPALA["name"], "197001011995031001", False)
    assert head.nip_display == "19700101 199503 1 001"
    # The preparer is untouched.
    assert signatories()["preparer"].is_placeholder


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("1970010119950310", "NIP terdiri dari tepat 18 angka."),
        ("19700101199503100A", "NIP terdiri dari tepat 18 angka."),
        ("١٩٧٠٠١٠١١٩٩٥٠٣١٠٠١", "NIP terdiri dari tepat 18 angka."),
        ("19701301199503 1 001", "Delapan angka pertama NIP adalah tanggal lahir (ttttbbhh)."),
        ("19700101199513 1 001", "Angka ke-9 sampai ke-14 NIP adalah tahun dan bulan pengangkatan (ttttbb)."),
        ("19700101199503 3 001", "Angka ke-15 NIP adalah 1 (laki-laki) atau 2 (perempuan)."),
    ],
)
def test_a_wrong_nip_is_refused_in_indonesian_and_nothing_is_saved(client, staff_admin, nip, message):
    client.force_login(staff_admin)
    response = client.post(HEAD, {**KEPALA, "nip": nip})
    assert response.status_code == 200
    assert response.context["form"].errors["nip"] == [message]
    head = Signatory.objects.get(role="head")
    assert head.is_placeholder
    assert head.name.startswith("[Ganti]")


def test_a_missing_name_saves_nothing(client, staff_admin):
    client.force_login(staff_admin)
    response = client.post(PREPARER, {**KEPALA, "name": ""})
    assert response.context["form"].errors["name"] == ["Kolom ini wajib diisi."]
    assert Signatory.objects.get(role="preparer").is_placeholder


def test_an_unknown_signing_role_is_not_found(client, staff_admin):
    client.force_login(staff_admin)
    assert client.get(reverse("office:signatory_edit", args=["bupati"])).status_code == 404


def test_the_pages_work_when_the_rows_are_missing(client, staff_admin):
    """A database emptied by hand (or by a test's flush) still shows, and saves, the letterhead."""
    Office.objects.all().delete()
    Signatory.objects.all().delete()
    client.force_login(staff_admin)
    assert client.get(DETAIL).status_code == 200
    assert client.post(EDIT, LETTERHEAD).status_code == 302
    assert client.post(PREPARER, KEPALA).status_code == 302
    assert Office.objects.get().place == "Purbalingga"
    assert Signatory.objects.get().role == "preparer"


@pytest.mark.parametrize("persona", ["staff", "leader", "head", "officer"])
def test_only_staff_admins_keep_the_letterhead(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in (DETAIL, EDIT, HEAD):
        assert client.get(url).status_code == 403
    assert client.post(EDIT, LETTERHEAD).status_code == 403
    assert client.post(HEAD, KEPALA).status_code == 403
    assert Office.objects.get().is_placeholder


def test_the_forms_refuse_other_methods(client, staff_admin):
    client.force_login(staff_admin)
    assert client.put(EDIT).status_code == 405
    assert client.post(DETAIL).status_code == 405
