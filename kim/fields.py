import re

from django import forms
from django.core.exceptions import ValidationError


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
