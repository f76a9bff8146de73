from django import forms
from django.utils.translation import gettext_lazy as _

from kim.office.models import DEFAULT_NUMBER_FORMAT, Office, Signatory, validate_nip

# People type a NIP as it is printed (19700101 199503 1 001) or with dots or dashes.
_NIP_SEPARATORS = str.maketrans("", "", " .-\u00a0")


class OfficeForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = [
            "name",
            "address",
            "postal_code",
            "phone",
            "email",
            "website",
            "place",
            "logo",
            "document_number_format",
        ]
        widgets = {
            "logo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the pattern goes back to the default rather than refusing the letterhead.
        self.fields["document_number_format"].required = False

    def clean_document_number_format(self) -> str:
        return self.cleaned_data["document_number_format"].strip() or DEFAULT_NUMBER_FORMAT


class SignatoryForm(forms.ModelForm):
    nip = forms.CharField(
        label=_("NIP"),
        max_length=30,
        help_text=_("18 digits, as printed: 19700101 199503 1 001 (spaces are left out)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Signatory
        fields = ["name", "nip", "position", "rank"]

    def clean_nip(self) -> str:
        nip = self.cleaned_data["nip"].translate(_NIP_SEPARATORS)
        validate_nip(nip)
        return nip
