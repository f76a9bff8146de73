"""The recap as a PDF: the summary and its tables under the office's letterhead, A4, "Halaman X dari Y",
rendered by WeasyPrint from an HTML template. Nothing is fetched: the logo comes as a data: URI and the
styles from static/css/document.css on disk; any other URL in the page is refused."""

from pathlib import Path
from typing import IO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from kim.lib.pdf import weasyprint
from kim.office.models import Office
from kim.office.selectors import SignatureBlock, logo_data_uri
from kim.recap import selectors, summary
from kim.recap.selectors import Recap

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "document.css"
# A printed list longer than this (a few pages) is left to the workbook: a regency targets far fewer villages a
# year, and WeasyPrint's memory grows with the pages it lays out.
MAX_TARGET_ROWS = 300


def page_number_css():
    """The footer's page number in the reader's language, from CSS counters: "Halaman 2 dari 5"."""
    words = _("Page %(page)s of %(pages)s").replace("\\", "").replace('"', "")
    content = (
        '"' + words.replace("%(page)s", '" counter(page) "').replace("%(pages)s", '" counter(pages) "') + '"'
    )
    footer = f"content: {content}; font-family: 'DejaVu Sans', sans-serif; font-size: 8pt;"
    return weasyprint().CSS(string="@page { @bottom-right { " + footer + " } }")


def render_html(recap: Recap, office: Office, signatures: SignatureBlock, *, visits: int) -> str:
    rows = selectors.district_rows(recap)
    lines = summary.summary_lines(recap, visits)
    return render_to_string(
        "kim/recap/recap_pdf.html",
        {
            "title": summary.title(recap),
            "scope": summary.scope_name(recap),
            "period": summary.period(recap),
            "office": office,
            "logo_src": logo_data_uri(office),
            "lines": [(line, _share(line.value) if line.is_share else line.value) for line in lines],
            "district_header": summary.district_header(),
            "district_rows": rows,
            "district_total": selectors.district_total(rows),
            "targets": recap.figures.targets.rows[:MAX_TARGET_ROWS],
            "targets_left_out": max(0, recap.figures.targets.total - MAX_TARGET_ROWS),
            "signatures": signatures,
        },
    )


def _share(value: float | None) -> str:
    return "-" if value is None else f"{formats.number_format(value * 100, 1)} %"


def write_pdf(output: IO[bytes], recap: Recap, office: Office, signatures: SignatureBlock, progress) -> None:
    progress(0, 3)
    visits = selectors.visits(recap).count()
    html = render_html(recap, office, signatures, visits=visits)
    progress(1, 3)
    library = weasyprint()
    fetcher = library.urls.URLFetcher(allowed_protocols={"data"})
    document = library.HTML(string=html, base_url=str(STYLESHEET.parent), url_fetcher=fetcher)
    document.write_pdf(output, stylesheets=[library.CSS(filename=str(STYLESHEET)), page_number_css()])
    progress(3, 3)
