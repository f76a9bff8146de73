"""Indonesian phone numbers: typed as 08…, 0281…, 62… or +62…, parsed by phonenumbers (Google's numbering
metadata, kept up to date by its maintainers) and stored in one form, E.164 (+62…).

A number reached on WhatsApp must be a mobile one; an office number (an agency's) may be a landline too."""

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

REGION = "ID"
# Only ASCII digits and the separators people write. phonenumbers itself reads Arabic-Indic, full-width and
# other digits as 0-9; refusing them here keeps what a person typed and what is stored alike.
_TYPED = re.compile(r"\+?[0-9\s.\-()/]{1,30}")
MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
OFFICE_TYPES = MOBILE_TYPES | {PhoneNumberType.FIXED_LINE}


def _parse(raw: str) -> phonenumbers.PhoneNumber | None:
    text = (raw or "").strip()
    if not text.isascii() or not _TYPED.fullmatch(text):
        return None
    if text.startswith("62"):  # the country code without its plus: no national number starts with 62
        text = "+" + text
    try:
        number = phonenumbers.parse(text, REGION)
    except NumberParseException:
        return None
    if phonenumbers.region_code_for_number(number) != REGION or not phonenumbers.is_valid_number(number):
        return None
    return number


def normalise_phone(raw: str, *, office: bool = False) -> str:
    """Return the number as +62…, or raise ValidationError when it is no Indonesian mobile number (or, for an
    `office`, no Indonesian landline or mobile number)."""
    number = _parse(raw)
    if number is None or phonenumbers.number_type(number) not in (OFFICE_TYPES if office else MOBILE_TYPES):
        message = (
            _("Enter an Indonesian phone number such as 0281 891012 or 0812 3456 7890.")
            if office
            else _("Enter an Indonesian mobile number such as 0812 3456 7890, 62812… or +62812….")
        )
        raise ValidationError(message, code="invalid_phone")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def whatsapp_url(phone: str) -> str:
    """A wa.me link for a mobile number; none for a landline or a stored value that is no valid number."""
    number = _parse(phone)
    if number is None or phonenumbers.number_type(number) not in MOBILE_TYPES:
        return ""
    return f"https://wa.me/{phonenumbers.format_number(number, PhoneNumberFormat.E164).removeprefix('+')}"


def phone_display(phone: str) -> str:
    """A stored number as people read it (+62281891012 as 0281 891012); anything else as it was stored."""
    number = _parse(phone)
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL) if number else phone


class PhoneFormField(forms.CharField):
    def __init__(self, *, office: bool = False, **kwargs):
        self.office = office
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value, office=self.office) if value else ""


class PhoneField(models.CharField):
    """A CharField holding +62… numbers; its form field parses what people type. `office`: a landline will do
    (an office's number, never used for WhatsApp)."""

    def __init__(self, *args, office: bool = False, **kwargs):
        self.office = office
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.office:
            kwargs["office"] = True
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, "office": self.office, **kwargs})
