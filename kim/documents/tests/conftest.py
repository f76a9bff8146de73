import copy
from pathlib import Path

import pytest

from kim.documents import registry
from kim.office.models import Office

SAMPLE_KIND = registry.DocumentKind(
    name="sample.letter",
    subject_type="sample",
    label="Surat contoh",
    classification="400",
    subjects=lambda user: Office.objects.all(),
    may_read=lambda user, subject: user.is_dinkominfo or user.is_leader,
    may_issue=lambda user, subject: user.is_dinkominfo,
    missing=lambda subject: [] if subject.name else ["nama kantor belum diisi"],
    title=lambda subject: f"Surat Contoh {subject.name}",
    template="sample_document.html",
    context=lambda subject: {"office_name": subject.name},
    filename=lambda subject: "surat-contoh",
    subject_url=lambda subject: "/",
)


@pytest.fixture
def sample_kind(settings, office_defaults, media):
    """A kind of document made from the office's own row, registered for the test only, with a one-line
    template kept beside the tests."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates
    registry.register(SAMPLE_KIND)
    yield SAMPLE_KIND
    registry._KINDS.pop(SAMPLE_KIND.name, None)


@pytest.fixture
def office():
    return Office.objects.get()
