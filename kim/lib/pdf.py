"""WeasyPrint, for every document the app renders as PDF: imported here only, so that its side effect on
Pillow is undone in one place."""

import warnings
from types import ModuleType

from PIL import ImageFile


def weasyprint() -> ModuleType:
    """WeasyPrint, imported when a PDF is first asked for (it loads Pango, which pages never need). Without
    Debian's libharfbuzz-subset0 it still renders, with a warning about future versions that is not ours."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        import weasyprint
        import weasyprint.urls
    # WeasyPrint, on import, tells Pillow to accept truncated images for the whole process; uploads must keep
    # refusing them (kim.lib.uploads), and the only image a document draws is the letterhead's checked logo.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint
