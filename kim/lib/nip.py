"""A civil servant's NIP (Nomor Induk Pegawai): 18 digits, the birth date (yyyymmdd), the month of
appointment (yyyymm), the sex (1 or 2) and a sequence number; printed in groups, 19700101 199503 1 001.

Here in the toolkit because both accounts (an officer's NIP) and the office (its signatories') keep one."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: `\d` would also take Arabic-Indic and other digits.
NIP_PATTERN = re.compile(r"[0-9]{18}")
# People type a NIP as it is printed (19700101 199503 1 001) or with dots or dashes.
_SEPARATORS = str.maketrans("", "", " .-\u00a0")


def validate_nip(value: str) -> None:
    if not NIP_PATTERN.fullmatch(value):
        raise ValidationError(_("A NIP has exactly 18 digits."), code="nip_length")
    year, month, day = int(value[0:4]), int(value[4:6]), int(value[6:8])
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        raise ValidationError(
            _("The first eight digits of a NIP are a date of birth (yyyymmdd)."), code="nip_date"
        )
    if not 1 <= int(value[12:14]) <= 12:
        raise ValidationError(
            _("Digits 9 to 14 of a NIP are the year and month of appointment (yyyymm)."), code="nip_appointed"
        )
    if value[14] not in "12":
        raise ValidationError(_("The fifteenth digit of a NIP is 1 (male) or 2 (female)."), code="nip_sex")


def nip_without_separators(typed: str) -> str:
    """What a person typed, less the spaces, dots and dashes of its printed form."""
    return typed.translate(_SEPARATORS)


def nip_display(nip: str) -> str:
    """A NIP in the groups it is printed in: 19700101 199503 1 001."""
    if not NIP_PATTERN.fullmatch(nip):
        return nip
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
