import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from villages.areas import DATA_DIR
from villages.models import District, Province, Regency, Village, VillageKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

FILENAMES = {
    "provinces": "indonesia_provinces.csv",
    "regencies": "indonesia_regencies.csv",
    "districts": "indonesia_districts.csv",
    "villages": "indonesia_villages.csv",
}


def small_set() -> dict[str, list[str]]:
    """A tiny national set: three provinces, with quoted names, a kelurahan and a desa adat."""
    return {
        "provinces": ["code,name", "33,Jawa Tengah", "35,Jawa Timur", "91,Papua"],
        "regencies": [
            "code,province_code,name",
            "33.03,33,Kabupaten Purbalingga",
            "35.29,35,Kabupaten Sumenep",
            "91.03,91,Kabupaten Jayapura",
        ],
        "districts": [
            "code,regency_code,name",
            "33.03.04,33.03,Kaligondang",
            "33.03.05,33.03,Purbalingga",
            "35.29.18,35.29,Dungkek",
            "91.03.01,91.03,Sentani",
        ],
        "villages": [
            "code,district_code,name",
            "33.03.04.2006,33.03.04,Selakambang",
            "33.03.04.2008,33.03.04,Kaligondang",
            "33.03.05.1001,33.03.05,Bojong",
            '35.29.18.2015,35.29.18,"Banra""as"',
            '35.29.18.2099,35.29.18,"Lubuk Pakam I,II"',
            "91.03.01.3007,91.03.01,Desa Adat Yoboi",
        ],
    }


def write_set(folder: Path, files: dict[str, list[str]]) -> Path:
    folder.mkdir(exist_ok=True)
    for key, lines in files.items():
        (folder / FILENAMES[key]).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return folder


def run(*args: str) -> list[str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("import_areas", *args, stdout=stdout, stderr=stderr)
    assert stderr.getvalue() == ""
    return stdout.getvalue().splitlines()


def snapshot() -> list[list[tuple]]:
    """Every row of the four tables, every column, contacts included."""
    return [
        list(model.objects.order_by("pk").values_list()) for model in (Province, Regency, District, Village)
    ]


def counts() -> tuple[int, int, int, int]:
    return (
        Province.objects.count(),
        Regency.objects.count(),
        District.objects.count(),
        Village.objects.count(),
    )


def set_contacts(code: str) -> None:
    Village.objects.filter(pk=code).update(
        head_name="Sutrisno", head_phone="+6281234567890", office_address="Jl. Raya Selakambang 1"
    )


def test_importing_purbalingga_creates_18_districts_and_239_villages():
    lines = run("--regency", "33.03")

    assert lines == [
        "provinces: 1 created, 0 updated, 0 unchanged",
        "regencies: 1 created, 0 updated, 0 unchanged",
        "districts: 18 created, 0 updated, 0 unchanged",
        "villages: 239 created, 0 updated, 0 unchanged",
    ]
    assert counts() == (1, 1, 18, 239)
    assert Regency.objects.get().province.name == "Jawa Tengah"
    assert Village.objects.filter(kind=VillageKind.DESA).count() == 224
    assert Village.objects.filter(kind=VillageKind.KELURAHAN).count() == 15


def test_selakambang_is_a_desa_in_kaligondang():
    run()

    selakambang = Village.objects.select_related("district__regency").get(pk="33.03.04.2006")
    assert selakambang.name == "Selakambang"
    assert selakambang.kind == VillageKind.DESA
    assert (selakambang.district.code, selakambang.district.name) == ("33.03.04", "Kaligondang")
    assert selakambang.district.regency.name == "Kabupaten Purbalingga"


def test_the_default_regency_is_purbalingga():
    assert run()[-1] == "villages: 239 created, 0 updated, 0 unchanged"


def test_a_second_run_reports_all_unchanged_and_changes_nothing(django_assert_max_num_queries):
    run()
    set_contacts("33.03.04.2006")
    before = snapshot()

    with django_assert_max_num_queries(6):
        lines = run()

    assert lines == [
        "provinces: 0 created, 0 updated, 1 unchanged",
        "regencies: 0 created, 0 updated, 1 unchanged",
        "districts: 0 created, 0 updated, 18 unchanged",
        "villages: 0 created, 0 updated, 239 unchanged",
    ]
    assert snapshot() == before


def test_the_first_import_loads_and_writes_in_batches_not_row_by_row(django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        run()


def test_a_renamed_village_is_reported_as_updated_and_keeps_its_head_contacts(tmp_path):
    run()
    set_contacts("33.03.04.2006")
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    villages = data_dir / FILENAMES["villages"]
    text = villages.read_text(encoding="utf-8")
    villages.write_text(text.replace(",Selakambang\n", ",Selakambang Baru\n"), encoding="utf-8")

    lines = run("--data-dir", str(data_dir))

    assert lines[-1] == "villages: 0 created, 1 updated, 238 unchanged"
    selakambang = Village.objects.get(pk="33.03.04.2006")
    assert selakambang.name == "Selakambang Baru"
    assert (selakambang.head_name, selakambang.head_phone, selakambang.office_address) == (
        "Sutrisno",
        "+6281234567890",
        "Jl. Raya Selakambang 1",
    )


def test_a_village_with_the_wrong_kind_in_the_database_is_corrected():
    run()
    Village.objects.filter(pk="33.03.05.1001").update(kind=VillageKind.DESA)

    assert run()[-1] == "villages: 0 created, 1 updated, 238 unchanged"
    assert Village.objects.get(pk="33.03.05.1001").kind == VillageKind.KELURAHAN


def test_all_imports_every_row_of_a_small_national_set(tmp_path):
    data_dir = write_set(tmp_path / "data", small_set())

    lines = run("--all", "--data-dir", str(data_dir))

    assert lines == [
        "provinces: 3 created, 0 updated, 0 unchanged",
        "regencies: 3 created, 0 updated, 0 unchanged",
        "districts: 4 created, 0 updated, 0 unchanged",
        "villages: 6 created, 0 updated, 0 unchanged",
    ]
    assert Village.objects.get(pk="35.29.18.2015").name == 'Banra"as'
    assert Village.objects.get(pk="35.29.18.2099").name == "Lubuk Pakam I,II"
    assert Village.objects.get(pk="91.03.01.3007").kind == VillageKind.DESA_ADAT
    assert Village.objects.get(pk="33.03.05.1001").kind == VillageKind.KELURAHAN
    assert District.objects.get(pk="35.29.18").regency.province.name == "Jawa Timur"


def test_a_regency_import_leaves_out_the_other_regencies(tmp_path):
    data_dir = write_set(tmp_path / "data", small_set())

    run("--regency", "35.29", "--data-dir", str(data_dir))

    assert list(Village.objects.values_list("pk", flat=True)) == ["35.29.18.2015", "35.29.18.2099"]
    assert list(Province.objects.values_list("pk", flat=True)) == ["35"]


def test_a_village_whose_district_is_only_in_the_database_is_imported(tmp_path):
    run("--all", "--data-dir", str(write_set(tmp_path / "data", small_set())))
    files = small_set()
    files["districts"].remove("33.03.04,33.03,Kaligondang")
    files["villages"].append("33.03.04.2007,33.03.04,Selanegara")

    lines = run("--all", "--data-dir", str(write_set(tmp_path / "again", files)))

    assert lines[-1] == "villages: 1 created, 0 updated, 6 unchanged"
    assert Village.objects.get(pk="33.03.04.2007").district.name == "Kaligondang"


def test_a_blank_line_and_a_byte_order_mark_are_accepted(tmp_path):
    data_dir = write_set(tmp_path / "data", small_set())
    provinces = data_dir / FILENAMES["provinces"]
    provinces.write_bytes(b"\xef\xbb\xbf" + provinces.read_bytes() + b"\n")

    assert run("--all", "--data-dir", str(data_dir))[0] == "provinces: 3 created, 0 updated, 0 unchanged"


def with_line(key: str, line: str, *, at: int | None = None) -> dict[str, list[str]]:
    """The small set with one more line in one file: appended, or put at index `at` (0 is the header)."""
    files = small_set()
    files[key].insert(len(files[key]) if at is None else at, line)
    return files


def replacing(key: str, index: int, line: str) -> dict[str, list[str]]:
    files = small_set()
    files[key][index] = line
    return files


BROKEN = {
    "wrong header": (
        replacing("villages", 0, "code,district,name"),
        "indonesia_villages.csv line 1: expected the header code,district_code,name, found code,district,name",
    ),
    "no header": (
        {**small_set(), "regencies": []},
        "indonesia_regencies.csv line 1: the file is empty; expected the header code,province_code,name",
    ),
    "wrong column count": (
        with_line("villages", "33.03.04.2007,33.03.04,Selanegara,desa"),
        "indonesia_villages.csv line 8: expected 3 columns (code,district_code,name), found 4",
    ),
    "province code format": (
        with_line("provinces", "3,Jawa Barat"),
        'indonesia_provinces.csv line 5: "3" is not a province code like 33',
    ),
    "regency code format": (
        with_line("regencies", "33.3,33,Kabupaten Banyumas"),
        'indonesia_regencies.csv line 5: "33.3" is not a regency code like 33.03',
    ),
    "district code format": (
        with_line("districts", "33.03.4,33.03,Kejobong"),
        'indonesia_districts.csv line 6: "33.03.4" is not a district code like 33.03.04',
    ),
    "village code format": (
        with_line("villages", "33.03.04.207,33.03.04,Selanegara"),
        'indonesia_villages.csv line 8: "33.03.04.207" is not a village code like 33.03.04.2006',
    ),
    "parent code format": (
        with_line("villages", "33.03.04.2007,33.03.4,Selanegara"),
        'indonesia_villages.csv line 8: "33.03.4" is not a district code like 33.03.04',
    ),
    "code outside its parent": (
        with_line("villages", "33.03.04.2007,33.03.05,Selanegara"),
        "indonesia_villages.csv line 8: village 33.03.04.2007 does not start with its district code 33.03.05",
    ),
    "empty name": (
        with_line("districts", "33.03.06,33.03,"),
        "indonesia_districts.csv line 6: district 33.03.06 has no name",
    ),
    "blank name": (
        with_line("provinces", '34,"  "'),
        "indonesia_provinces.csv line 5: province 34 has no name",
    ),
    "name too long": (
        with_line("villages", f"33.03.04.2007,33.03.04,{'A' * 101}"),
        "indonesia_villages.csv line 8: the name of village 33.03.04.2007 is longer than 100 characters",
    ),
    "duplicate code": (
        with_line("villages", "33.03.04.2006,33.03.04,Selakambang Lagi"),
        "indonesia_villages.csv line 8: village 33.03.04.2006 is already on line 2",
    ),
    "missing parent": (
        with_line("villages", "33.03.06.1001,33.03.06,Kalimanah Wetan"),
        "indonesia_villages.csv line 8: village 33.03.06.1001 names district 33.03.06, "
        "which is neither in indonesia_districts.csv nor in the database",
    ),
    "missing province": (
        with_line("regencies", "34.71,34,Kota Yogyakarta"),
        "indonesia_regencies.csv line 5: regency 34.71 names province 34, "
        "which is neither in indonesia_provinces.csv nor in the database",
    ),
    "unknown village kind": (
        with_line("villages", "33.03.04.4001,33.03.04,Selanegara"),
        "indonesia_villages.csv line 8: village 33.03.04.4001: "
        "the last part must start with 1 (kelurahan), 2 (desa) or 3 (desa adat)",
    ),
    "bad quoting": (
        with_line("villages", '33.03.04.2007,33.03.04,"Sela"negara'),
        "indonesia_villages.csv line 8: not valid CSV",
    ),
    "bad row before good rows": (
        with_line("villages", "33.03.04.2007,33.03.04,", at=1),
        "indonesia_villages.csv line 2: village 33.03.04.2007 has no name",
    ),
}


def earlier_set() -> dict[str, list[str]]:
    """What the database held before: no Papua yet, and Kaligondang under an older name."""
    files = {key: [line for line in lines if not line.startswith("91")] for key, lines in small_set().items()}
    files["districts"][1] = "33.03.04,33.03,Kaligondang Lama"
    return files


@pytest.fixture
def imported_earlier(tmp_path):
    """The earlier set imported, with a head's contacts filled in; returns the database as it then is."""
    run("--all", "--data-dir", str(write_set(tmp_path / "earlier", earlier_set())))
    set_contacts("33.03.04.2006")
    return snapshot()


@pytest.mark.parametrize(("files", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_is_named_with_its_line_and_changes_nothing(tmp_path, imported_earlier, files, message):
    # Apart from the broken line, these files would add Papua and rename Kaligondang.
    with pytest.raises(CommandError) as raised:
        run("--all", "--data-dir", str(write_set(tmp_path / "broken", files)))

    assert str(raised.value).startswith(message)
    assert snapshot() == imported_earlier


def test_a_file_that_is_not_utf8_is_named_with_its_line(tmp_path, imported_earlier):
    data_dir = write_set(tmp_path / "broken", small_set())
    with (data_dir / FILENAMES["villages"]).open("ab") as villages:
        villages.write("33.03.04.2007,33.03.04,Sélanegara\n".encode("latin-1"))

    with pytest.raises(
        CommandError, match=r"^indonesia_villages\.csv line 8: not valid UTF-8 \(byte 0xe9\)$"
    ):
        run("--all", "--data-dir", str(data_dir))
    assert snapshot() == imported_earlier


def test_a_missing_file_is_named(tmp_path, imported_earlier):
    data_dir = write_set(tmp_path / "broken", small_set())
    (data_dir / FILENAMES["districts"]).unlink()

    with pytest.raises(CommandError, match=r"^indonesia_districts\.csv not found in .*broken$"):
        run("--all", "--data-dir", str(data_dir))
    assert snapshot() == imported_earlier


def test_an_unknown_regency_is_refused(imported_earlier):
    with pytest.raises(CommandError, match=r"^no regency 99\.99 in indonesia_regencies\.csv$"):
        run("--regency", "99.99")
    assert snapshot() == imported_earlier


def test_a_regency_code_in_the_wrong_format_is_refused():
    with pytest.raises(CommandError, match=r'^"3303" is not a regency code like 33\.03$'):
        run("--regency", "3303")


def test_a_database_error_while_writing_rolls_back_everything(tmp_path, imported_earlier, monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    # Provinces, regencies and districts are written before the villages fail.
    monkeypatch.setattr(Village._default_manager, "bulk_create", fail)

    with pytest.raises(DatabaseError):
        run("--all", "--data-dir", str(write_set(tmp_path / "data", small_set())))
    assert snapshot() == imported_earlier


def test_the_shipped_national_files_import_in_full():
    lines = run("--all")

    assert lines == [
        "provinces: 38 created, 0 updated, 0 unchanged",
        "regencies: 514 created, 0 updated, 0 unchanged",
        "districts: 7285 created, 0 updated, 0 unchanged",
        "villages: 83762 created, 0 updated, 0 unchanged",
    ]
    assert counts() == (38, 514, 7285, 83762)
    assert Village.objects.filter(kind=VillageKind.DESA_ADAT).count() == 14
    assert Village.objects.filter(kind=VillageKind.KELURAHAN).count() == 8496


def test_regency_and_all_cannot_be_given_together():
    with pytest.raises(CommandError, match="not allowed with argument"):
        run("--all", "--regency", "33.03")
