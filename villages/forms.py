import csv
import io
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kim.lib.dates import FIRST_YEAR, LAST_YEAR, current_year
from kim.lib.phone import PhoneFormField
from kim.office.models import validate_nip
from outreach.directory.models import Agency
from villages.filters import dotted_code
from villages.models import CommunityGroup, Village

_VILLAGE_CODE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}")  # ASCII digits only, unlike `\d`
MAX_UPLOAD_ROWS = 5000


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)


class VillageContactsForm(forms.Form):
    head_name = forms.CharField(label=_("Village head's name"), max_length=150, required=False)
    head_nip = forms.CharField(
        label=_("Lurah's NIP"),
        max_length=30,
        required=False,
        help_text=_("18 digits; spaces are ignored. A Lurah is a civil servant and signs with it."),
    )
    head_phone = PhoneFormField(label=_("Village head's phone"), required=False)
    office_address = forms.CharField(label=_("Village office address"), max_length=250, required=False)

    def __init__(self, *args, village: Village, **kwargs):
        super().__init__(*args, **kwargs)
        # An elected Kepala Desa is no civil servant and has no NIP: only a kelurahan's form asks for it.
        if not village.head_signs_with_nip:
            del self.fields["head_nip"]

    def clean_head_nip(self):
        nip = "".join(self.cleaned_data["head_nip"].split())
        if nip:
            validate_nip(nip)
        return nip

    @classmethod
    def initial_for(cls, village: Village) -> dict:
        return {name: getattr(village, name) for name in cls.base_fields}


class CommunityGroupForm(forms.ModelForm):
    class Meta:
        model = CommunityGroup
        fields = ["name", "kind", "contact_name", "contact_phone", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, village: Village, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.village = village

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = CommunityGroup.objects.filter(village=self.instance.village, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("This village already has a group with that name."), code="duplicate")
        return name


def _agencies():
    return Agency.objects.filter(is_active=True)


class VillageYearForm(forms.Form):
    is_red_zone = forms.BooleanField(label=_("On the zona merah list"), required=False)
    red_zone_decree = forms.CharField(label=_("Decree (SK) reference"), max_length=200, required=False)
    mentor_agency = forms.ModelChoiceField(
        label=_("Mentoring agency (desa binaan)"), queryset=_agencies(), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("is_red_zone") and not (data.get("red_zone_decree") or "").strip():
            self.add_error("red_zone_decree", _("Give the decree that puts this village on the list."))
        return data


class BulkAction(models.TextChoices):
    MARK_RED_ZONE = "mark", _("Put on the zona merah list")
    UNMARK_RED_ZONE = "unmark", _("Take off the zona merah list")
    ASSIGN_MENTOR = "mentor", _("Make desa binaan of an agency")
    CLEAR_MENTOR = "clear_mentor", _("Remove the mentoring agency")


class BulkStatusForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=BulkAction.choices)
    decree = forms.CharField(label=_("Decree (SK) reference"), max_length=200, required=False)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=_agencies(), required=False)
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages"),
        queryset=Village.objects.in_home_regency(),
        error_messages={"required": _("Tick at least one village.")},
    )

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == BulkAction.MARK_RED_ZONE and not (data.get("decree") or "").strip():
            self.add_error("decree", _("Give the decree that sets this list."))
        if action == BulkAction.ASSIGN_MENTOR and not data.get("agency"):
            self.add_error("agency", _("Choose the mentoring agency."))
        return data


def parse_village_codes(text: str) -> list[str]:
    """Village codes from CSV text (first column, header optional); ValidationError naming each bad line."""
    errors, codes = [], []
    for line_number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cell = row[0].strip() if row else ""
        if not cell or (line_number == 1 and cell[0] not in "0123456789"):
            continue
        code = dotted_code(cell.replace(" ", ""))
        if not _VILLAGE_CODE.fullmatch(code):
            errors.append(
                _("Line %(line)s: “%(value)s” is not a village code such as 33.03.04.2006.")
                % {"line": line_number, "value": cell[:30]}
            )
        elif code not in codes:
            codes.append(code)
        if len(codes) > MAX_UPLOAD_ROWS:
            raise ValidationError(_("The file has more than %(max)s codes.") % {"max": MAX_UPLOAD_ROWS})
    known = set(Village.objects.filter(pk__in=codes).values_list("pk", flat=True)) if codes else set()
    for code in codes:
        if code not in known:
            errors.append(_("Code %(code)s is not in the list of villages.") % {"code": code})
    if errors:
        raise ValidationError(errors[:20] + ([_("… and more.")] if len(errors) > 20 else []))
    if not codes:
        raise ValidationError(_("The file holds no village codes."))
    return codes


class RedZoneUploadForm(forms.Form):
    year = year_field(initial=current_year)
    decree = forms.CharField(label=_("Decree (SK) reference"), max_length=200)
    replace = forms.BooleanField(
        label=_("Replace the year's list"),
        help_text=_("Villages of that year's list that are not in the file are taken off it."),
        required=False,
    )
    file = forms.FileField(
        label=_("CSV file of village codes"),
        help_text=_("One code per line in the first column, such as 33.03.04.2006 or 3303042006."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_STATUS_UPLOAD_BYTES:
            raise ValidationError(_("The file is too large (at most 512 KB)."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("The file is not a UTF-8 text (CSV) file.")) from error
        if "\x00" in text:
            raise ValidationError(_("The file is not a UTF-8 text (CSV) file."))
        try:
            self.codes = parse_village_codes(text)
        except csv.Error as error:
            raise ValidationError(_("The file is not a valid CSV file.")) from error
        return upload
