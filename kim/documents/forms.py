from django import forms
from django.utils.translation import gettext_lazy as _

# An issued document is a few pages with a few photos: anything larger cannot be one of them.
MAX_CHECKED_BYTES = 20 * 1024 * 1024


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public check page: write no personal data."),
    )


class CheckCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Check code"),
        max_length=40,
        help_text=_("The 16 letters and digits printed under the QR code, for example ABCD-EFGH-JKLM-NPQR."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class CheckFileForm(forms.Form):
    file = forms.FileField(
        label=_("The PDF to check"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("The file is compared with the issued one and not kept."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CHECKED_BYTES:
            raise forms.ValidationError(_("This file is larger than any document the office issues."))
        return upload
