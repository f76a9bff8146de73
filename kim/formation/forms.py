import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kim.lib.dates import day_text
from kim.lib.fields import DayField, PastDateField
from kim.lib.phone import PhoneFormField
from kim.lib.uploads import DOCUMENT_TYPES, SCAN_TYPES, FileCheck
from kim.lib.widgets import quicken
from kim.register.models import Kim, Member
from villages.models import CommunityGroup, Village


def notes_field(label):
    return forms.CharField(
        label=label, required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TargetForm(forms.Form):
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages"),
        queryset=Village.objects.in_home_regency(),
        error_messages={"required": _("Tick at least one village.")},
    )


class CoordinationForm(forms.Form):
    coordinated_on = PastDateField(label=_("Date of the coordination"))
    notes = notes_field(_("Who took part, what was agreed, which groups already exist"))


class PathForm(forms.Form):
    origin = forms.ChoiceField(label=_("Path"), choices=Kim.Origin.choices, widget=forms.RadioSelect)
    community_group = forms.ModelChoiceField(
        label=_("Existing group that takes on the information work"),
        queryset=CommunityGroup.objects.none(),
        required=False,
    )
    name = forms.CharField(label=_("Name of the KIM"), max_length=200)

    def __init__(self, *args, village: Village, **kwargs):
        super().__init__(*args, **kwargs)
        groups = self.fields["community_group"]
        assert isinstance(groups, forms.ModelChoiceField)
        groups.queryset = CommunityGroup.objects.filter(village=village)
        self.fields["name"].initial = f"KIM {village.name}"

    def clean(self):
        data = super().clean()
        if data.get("origin") == Kim.Origin.ADOPTED and not data.get("community_group"):
            self.add_error("community_group", _("Choose the group that takes on the work."))
        return data


# A village meeting is of the village's people: a count beyond this is a typing slip.
MAX_ATTENDANCE = 5000


def attendance_field(label):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=MAX_ATTENDANCE)


class MeetingForm(forms.Form):
    """The meeting and what its minutes (berita acara) print; the place and the people are optional here, and
    the minutes say what is still missing before they can be issued."""

    meeting_on = PastDateField(label=_("Date of the village meeting (musyawarah)"))
    meeting_place = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("For example Balai Desa Selakambang.")
    )
    meeting_chair = forms.CharField(label=_("Chaired by (name)"), max_length=150, required=False)
    meeting_note_taker = forms.CharField(label=_("Minutes taken by (name)"), max_length=150, required=False)
    meeting_attendance_men = attendance_field(_("Men attending"))
    meeting_attendance_women = attendance_field(_("Women attending"))
    notes = notes_field(_("Minutes in short"))

    def clean(self):
        data = super().clean()
        for name in ("meeting_place", "meeting_chair", "meeting_note_taker"):
            if name in data:
                data[name] = " ".join(data[name].split())
        return data


class OfficerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    # An empty first choice, so that an untouched row of the formset counts as unchanged and is skipped.
    position = forms.ChoiceField(label=_("Position"), choices=[("", "-"), *Member.Position.choices])
    phone = PhoneFormField(label=_("Phone"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "-"), *Member.Gender.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            quicken(
                field,
                "form-select form-select-sm"
                if name in ("position", "gender")
                else "form-control form-control-sm",
            )
            field.widget.attrs["aria-label"] = str(field.label)


class BaseOfficerFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        officers = self.officers()
        if not officers:
            raise ValidationError(_("Enter at least the ketua."))
        if sum(1 for officer in officers if officer["position"] == Member.Position.KETUA) != 1:
            raise ValidationError(_("Exactly one officer must be the ketua."))

    def officers(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


OfficerFormSet = forms.formset_factory(
    OfficerForm, formset=BaseOfficerFormSet, extra=6, max_num=60, validate_max=True
)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What must change"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PaperConfirmationForm(forms.Form):
    letter = forms.FileField(
        label=_("Signed confirmation letter (PDF, JPG or PNG)"), validators=[FileCheck(SCAN_TYPES)]
    )


class DecreeForm(forms.Form):
    sk_issuer = forms.ChoiceField(label=_("Issued by"), choices=Kim.Issuer.choices)
    sk_number = forms.CharField(
        label=_("Decree number"),
        max_length=100,
        help_text=_("For example 555/115 Tahun 2013 or 800/996/Kominfo/2019."),
    )
    sk_date = PastDateField(label=_("Decree date"))
    sk_file = forms.FileField(
        label=_("Scanned decree (PDF)"), validators=[FileCheck(DOCUMENT_TYPES)], required=False
    )

    def __init__(self, *args, has_file: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sk_file"].required = not has_file
        if has_file:
            self.fields["sk_file"].help_text = _("Leave empty to keep the decree already uploaded.")


class BriefingForm(forms.Form):
    briefed_on = PastDateField(label=_("Date of the briefing (pembekalan)"))
    notes = notes_field(_("Material and participants"))


class BriefingPlanForm(forms.Form):
    """The briefing as planned, for its invitation: a day from the village meeting on, an hour and a place."""

    day = DayField(label=_("Day of the briefing"))
    time = forms.TimeField(
        label=_("Starting time (WIB)"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(label=_("Place"), max_length=200)

    def __init__(self, *args, meeting_on: dt.date | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting_on = meeting_on

    def clean_place(self):
        return " ".join(self.cleaned_data["place"].split())

    def clean(self):
        data = super().clean()
        day, time = data.get("day"), data.get("time")
        if day and self.meeting_on and day < self.meeting_on:
            self.add_error(
                "day",
                ValidationError(
                    _("The briefing comes after the village meeting of %(day)s."),
                    params={"day": day_text(self.meeting_on)},
                    code="before_meeting",
                ),
            )
        if day and time and not self.errors:
            data["planned_at"] = dt.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())
        return data

    @classmethod
    def initial_for(cls, formation) -> dict:
        planned = formation.briefing_planned_at
        if planned is None:
            return {"place": formation.briefing_place}
        local = timezone.localtime(planned)
        return {"day": local.date(), "time": local.time(), "place": formation.briefing_place}


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ExistingKimForm(forms.ModelForm):
    """A KIM formed before this system, with its dates, in one form."""

    founded_on = PastDateField(label=_("Founding date"))
    sk_date = PastDateField(label=_("Decree (SK) date"), required=False)

    class Meta:
        model = Kim
        fields = [
            "village",
            "name",
            "origin",
            "community_group",
            "status",
            "founded_on",
            "sk_issuer",
            "sk_number",
            "sk_date",
            "sk_file",
            "kimid_number",
            "website",
            "whatsapp_group",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.in_home_regency().select_related("district")
        self.fields["village"].label_from_instance = lambda v: f"{v.name} ({v.district.name})"
        self.fields["community_group"].queryset = CommunityGroup.objects.select_related("village")
        self.fields["status"].choices = [c for c in Kim.Status.choices if c[0] != Kim.Status.FORMING]

    def clean(self):
        data = super().clean()
        group, village = data.get("community_group"), data.get("village")
        if data.get("origin") == Kim.Origin.ADOPTED and not group:
            self.add_error("community_group", _("Choose the group that took on the work."))
        if group and village and group.village_id != village.pk:
            self.add_error("community_group", _("This group belongs to another village."))
        if data.get("origin") == Kim.Origin.NEW:
            data["community_group"] = None
        return data
