from django import forms
from django.utils.translation import gettext_lazy as _

from kim.office.models import Office, Signatory, validate_nip

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
