"""Forms of the agencies, the staff-kept topic list and the resource persons directory."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kim.accounts.models import User
from kim.lib.fields import RowChoiceField
from kim.office.models import validate_nip
from outreach.directory.models import Agency, ResourcePerson, Topic


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "is_active"]
        help_texts = {"is_active": _("Topics no longer in use stay on past records but are not offered.")}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        # "Penanggulangan Stunting" and "penanggulangan stunting" would split the sessions of one topic.
        if Topic.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("This topic is already on the list."))
        return name


class ResourcePersonForm(forms.ModelForm):
    """Staff choose any agency (or none, with a sector); an officer's resource persons are their agency's."""

    class Meta:
        model = ResourcePerson
        fields = ["name", "agency", "sector", "topics", "phone", "email", "is_active"]
        widgets = {"topics": forms.CheckboxSelectMultiple}
        field_classes = {"topics": RowChoiceField}
        help_texts = {
            "sector": _("For someone from outside the agencies: a university, an NGO, a community, …"),
            "phone": _("A mobile number, reached on WhatsApp."),
            "is_active": _("Untick when this person can no longer speak at sessions."),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        agency = cast(forms.ModelChoiceField, self.fields["agency"])
        if user.is_dinkominfo:
            # An agency closed since keeps its resource persons; it is only not offered for new ones.
            offered = Q(is_active=True)
            if self.instance.agency_id:
                offered |= Q(pk=self.instance.agency_id)
            agency.queryset = Agency.objects.filter(offered)
        else:
            # Disabled: whatever the browser sends, the value is the officer's own agency.
            agency.queryset = Agency.objects.filter(officers=user)
            agency.disabled = True
            agency.required = True
            agency.empty_label = None
            self.initial["agency"] = user.agency_id
        current_topics = self.instance.topics.values("pk") if self.instance.pk else []
        topics = cast(forms.ModelMultipleChoiceField, self.fields["topics"])
        topics.queryset = Topic.objects.filter(Q(is_active=True) | Q(pk__in=current_topics))

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        data = super().clean()
        if not data.get("agency") and not data.get("sector", "").strip() and "agency" not in self.errors:
            self.add_error(
                "sector", _("Choose an agency, or say which sector or institution they come from.")
            )
        return data


# People type a NIP as it is printed (19700101 199503 1 001) or with dots or dashes.
NIP_SEPARATORS = str.maketrans("", "", " .-\u00a0")


class AgencyForm(forms.ModelForm):
    """The agency, its letterhead's address and its head, who signs its letters and countersigns its reports."""

    head_nip = forms.CharField(
        label=_("head's NIP"),
        max_length=30,
        required=False,
        help_text=_("18 digits, as printed: 19700101 199503 1 001 (spaces are left out)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Agency
        fields = [
            "name",
            "short_name",
            "kind",
            "phone",
            "email",
            "address",
            "postal_code",
            "head_name",
            "head_nip",
            "head_position",
            "head_rank",
            "is_active",
        ]
        widgets = {
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        }
        help_texts = {"address": _("The street, as printed on the agency's letterhead.")}

    def clean_head_nip(self) -> str:
        nip = self.cleaned_data["head_nip"].translate(NIP_SEPARATORS)
        if nip:
            validate_nip(nip)
        return nip
