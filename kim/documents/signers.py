"""Who signs a document, as its signature block prints them."""

from dataclasses import dataclass

from kim.office.models import Signatory

BLANK_NAME = "(………………………………)"


@dataclass(frozen=True)
class Signer:
    position: str  # as printed above the signing space: "Kepala Desa Selakambang"
    name: str = ""  # "" leaves the dotted line to write the name by hand
    nip: str = ""
    rank: str = ""
    above: str = ""  # the line above the position: "Mengetahui," (or "" for none)
    has_nip: bool = True  # a Kepala Desa is no civil servant: no NIP line under the name

    @property
    def name_or_blank(self) -> str:
        return self.name or BLANK_NAME


def from_signatory(signatory: Signatory, *, above: str = "") -> Signer:
    """The office's head or preparer (kim.office), as kept by staff administrators."""
    return Signer(
        position=signatory.position, name=signatory.name, nip=signatory.nip, rank=signatory.rank, above=above
    )
