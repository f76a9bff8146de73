import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RowChoiceField(forms.ModelMultipleChoiceField):
    """Rows chosen by id. Ids that no row can have are refused before the query, where SQLite would overflow on
    a number above 64 bits instead of finding nothing."""

    ID = re.compile(r"[0-9]{1,18}")

    def _check_values(self, value):
        if any(not self.ID.fullmatch(str(item)) for item in value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        return super()._check_values(value)


class PastDateField(forms.DateField):
    """A date picker whose date may not lie in the future (in WIB)."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise ValidationError(_("This date lies in the future."), code="future")
