import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kim.lib.dates import FIRST_DAY, LAST_DAY, day_text, years_after


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


class DayField(forms.DateField):
    """A date typed through the browser's picker, within the range its meaning allows: never before FIRST_DAY,
    and at most today (`past`), `years_ahead` years from today, or else LAST_DAY. Far-off dates would
    overflow the reminders and terms counted from them (9999-12-31 plus one day)."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, *, past: bool = False, years_ahead: int | None = None, **kwargs):
        self.past, self.years_ahead = past, years_ahead
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if value < FIRST_DAY:
            raise ValidationError(_("Check the year: the date is too far in the past."), code="too_old")
        if self.past and value > today:
            raise ValidationError(_("This date lies in the future."), code="future")
        latest = LAST_DAY if self.years_ahead is None else years_after(today, self.years_ahead)
        if value > latest:
            raise ValidationError(
                _("Check the year: enter a date no later than %(last)s."),
                params={"last": day_text(latest)},
                code="too_far",
            )


class PastDateField(DayField):
    """A date picker whose date may not lie in the future (in WIB), nor before FIRST_DAY."""

    def __init__(self, **kwargs):
        super().__init__(past=True, **kwargs)
