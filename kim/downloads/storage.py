"""Where export files are kept: a folder of their own (settings.EXPORT_ROOT), outside the public media, handed
out only by the download view once it has checked who asks."""

import logging

from django.conf import settings
from django.core.files.storage import FileSystemStorage

logger = logging.getLogger(__name__)


def exports() -> FileSystemStorage:
    # Built on each call, so that a test's settings.EXPORT_ROOT holds.
    return FileSystemStorage(location=settings.EXPORT_ROOT)


def delete(name: str) -> None:
    try:
        exports().delete(name)
    except OSError:
        logger.exception("Could not delete the export file %s", name)
