from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kim.accounts.access import STAFF_ROLES
from kim.accounts.models import User
from kim.lib.fields import DayField, PastDateField, RowChoiceField
from kim.register.models import DevelopmentLevel, Kim, Member

TERM_YEARS_AHEAD = 10


class KimForm(forms.ModelForm):
    founded_on = PastDateField(label=_("Founding date"), required=False)
    sk_date = PastDateField(label=_("Decree (SK) date"), required=False)

    class Meta:
        model = Kim
        fields = [
            "name",
            "status",
            "level",
            "mentors",
            "founded_on",
            "sk_issuer",
            "sk_number",
            "sk_date",
            "sk_file",
            "kimid_number",
            "website",
            "social_media",
            "whatsapp_group",
        ]
        widgets = {"mentors": forms.CheckboxSelectMultiple}
        field_classes = {"mentors": RowChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in Kim.Status.choices if c[0] != Kim.Status.FORMING]
        self.fields["mentors"].queryset = User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by(
            "first_name", "username"
        )
        self.fields["level"].queryset = DevelopmentLevel.objects.all()

    def clean_whatsapp_group(self):
        link = self.cleaned_data["whatsapp_group"]
        if link and not link.startswith("https://chat.whatsapp.com/"):
            raise ValidationError(_("A WhatsApp group link starts with https://chat.whatsapp.com/."))
        return link


class MemberForm(forms.ModelForm):
    term_start = PastDateField(label=_("Term start"), required=False)
    # A KIM's term is a few years: a decade ahead is the furthest a term end can sensibly be.
    term_end = DayField(label=_("Term end"), required=False, years_ahead=TERM_YEARS_AHEAD)

    class Meta:
        model = Member
        fields = ["name", "position", "section", "phone", "nik", "gender", "term_start", "term_end"]

    def __init__(self, *args, kim: Kim, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kim = kim
        self.fields["nik"].help_text = _("Optional: 16 digits, as on the KTP.")
        self.fields["section"].help_text = _("For a seksi: its field, such as Humas or Dokumentasi.")

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("The term cannot end before it starts."))
        if data.get("position") == Member.Position.KETUA and self.instance.left_on is None:
            sitting = Member.objects.current().filter(kim=self.instance.kim, position=Member.Position.KETUA)
            if sitting.exclude(pk=self.instance.pk).exists():
                self.add_error("position", _("This KIM already has a ketua. End their term first."))
        return data


class MemberLeaveForm(forms.Form):
    left_on = PastDateField(label=_("Left on"))


class DevelopmentLevelForm(forms.ModelForm):
    class Meta:
        model = DevelopmentLevel
        fields = ["name", "rank", "description"]
