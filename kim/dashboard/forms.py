"""The dashboard's choice of year and kecamatan."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kim.lib.widgets import quicken


class DashboardForm(forms.Form):
    """A year from the first recorded to this one (default this one), and the regency or one kecamatan."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)

    def __init__(self, data, *, years: list[int], districts: list[tuple[str, str]]):
        super().__init__(data)
        self.years = years
        cast(forms.ChoiceField, self.fields["year"]).choices = [(year, str(year)) for year in reversed(years)]
        cast(forms.ChoiceField, self.fields["kecamatan"]).choices = [("", _("The whole regency")), *districts]
        for field in self.fields.values():
            quicken(field, "form-select")

    @property
    def choice(self) -> tuple[int, str]:
        """The year and kecamatan asked for, or this year and the regency when the request asks for none or
        for one out of range (the form then shows why)."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("year") or self.years[-1], data.get("kecamatan") or ""
