from django import forms

from outreach.models import Agency


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "phone", "email", "is_active"]
