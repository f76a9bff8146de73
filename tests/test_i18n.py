"""Every user-facing string is translatable, and the Indonesian catalogue holds all of them, translated."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SOURCES = ["kim", "villages", "outreach", "templates", "locale"]


def _entries(po_text: str):
    """(msgid, msgstr, fuzzy) for each entry of a .po file, the header excluded."""
    for block in po_text.split("\n\n"):
        if "msgid" not in block:
            continue
        fuzzy = "#, fuzzy" in block or "#,.*fuzzy" in block
        msgid = "".join(re.findall(r'^(?:msgid|msgid_plural)?\s*"(.*)"$', block.split("msgstr")[0], re.M))
        msgstrs = re.findall(r'^msgstr(?:\[\d\])?\s*"(.*)"\n((?:".*"\n?)*)', block + "\n", re.M)
        yield msgid, ["".join([first, *re.findall(r'"(.*)"', rest)]) for first, rest in msgstrs], fuzzy


def test_indonesian_catalogue_is_complete_and_up_to_date(tmp_path):
    """Regenerate the catalogue from a copy of the sources; every message must already be translated."""
    for name in SOURCES:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("data", "__pycache__", "*.mo")
        )
    shutil.copy(ROOT / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete", "--add-location=file"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    regenerated = (tmp_path / "locale/id/LC_MESSAGES/django.po").read_text()
    missing = [
        msgid for msgid, msgstrs, fuzzy in _entries(regenerated) if msgid and (fuzzy or not all(msgstrs))
    ]
    assert missing == [], f"{len(missing)} messages lack an Indonesian translation: {missing[:10]}"
