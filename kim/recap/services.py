"""Building the yearly recap's files: the export engine (kim.downloads) calls `recap_build` for a job."""

from typing import IO

from django.utils import timezone

from kim.office.selectors import get_office, signature_block
from kim.recap.pdf import write_pdf
from kim.recap.selectors import recap_for
from kim.recap.workbook import write_workbook


def recap_write(output: IO[bytes], *, year: int, district: str, file_format: str, progress) -> None:
    """The recap of `year` for the regency (district "") or one kecamatan, as "xlsx" or "pdf", into
    `output`; signed with today's date."""
    recap = recap_for(year, district)
    office = get_office()
    signatures = signature_block(timezone.localdate(), office)
    if file_format == "pdf":
        write_pdf(output, recap, office, signatures, progress)
    else:
        write_workbook(output, recap, office, signatures, progress)
