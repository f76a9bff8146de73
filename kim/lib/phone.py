"""Indonesian mobile numbers: typed as 08…, 62… or +62…, stored as +62…, read on WhatsApp."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s.\-()/]")
_MOBILE = re.compile(r"\+628\d{7,11}")


def normalise_phone(raw: str) -> str:
    """Return the number as +628…, or raise ValidationError when it is not an Indonesian mobile number."""
    number = _SEPARATORS.sub("", raw or "")
    if number.startswith("08"):
        number = "+62" + number[1:]
    elif number.startswith("628"):
        number = "+" + number
    if not _MOBILE.fullmatch(number):
        raise ValidationError(
            _("Enter an Indonesian mobile number such as 0812 3456 7890, 62812… or +62812…."),
            code="invalid_phone",
        )
    return number


def whatsapp_url(phone: str) -> str:
    return f"https://wa.me/{phone.removeprefix('+')}" if phone else ""


class PhoneFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else ""


class PhoneField(models.CharField):
    """A CharField holding +62… numbers; its form field normalises what people type."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})
