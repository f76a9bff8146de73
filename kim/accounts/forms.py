from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kim.accounts.models import Role, User
from kim.lib.nip import nip_without_separators, validate_nip


class AccountForm(forms.ModelForm):
    """Create or edit an account. A head needs a village, an officer an agency; other bindings are cleared."""

    nip = forms.CharField(
        label=_("NIP"),
        max_length=30,
        required=False,
        help_text=_(
            "For a civil servant sent on visits: 18 digits, as printed: 19700101 199503 1 001 (spaces are left out)."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "nip",
            "rank",
            "position",
            "village",
            "agency",
            "is_active",
        ]
        help_texts = {"username": _("Letters, digits and @/./+/-/_ only; used to sign in.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        # Always chosen by hand: the empty entry only asks for a choice, an account without a role is refused.
        role = self.fields["role"]
        role.required = True
        role.choices = [("", _("Choose a role")), *Role.choices]
        role.error_messages["required"] = _("Choose the account's role: without one it cannot open any page.")
        # Villages and agencies sit above accounts in the layers: narrowed from the fields' own querysets.
        village, agency = self.fields["village"], self.fields["agency"]
        village.queryset = village.queryset.in_home_regency().select_related("district")  # type: ignore[attr-defined]
        self.fields["village"].label_from_instance = lambda v: f"{v.name} ({v.district.name})"
        self.fields["village"].help_text = _("Only for a village head.")
        agency.queryset = agency.queryset.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["agency"].help_text = _("Only for an agency officer.")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another account already uses this email address."), code="duplicate")
        return email

    def clean_nip(self) -> str:
        nip = nip_without_separators(self.cleaned_data["nip"])
        if nip:
            validate_nip(nip)
        return nip

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.VILLAGE_HEAD and not data.get("village"):
            self.add_error("village", _("A village head must be bound to a village."))
        if role == Role.OPD_OFFICER and not data.get("agency"):
            self.add_error("agency", _("An agency officer must be bound to an agency."))
        if role != Role.VILLAGE_HEAD:
            data["village"] = None
        if role != Role.OPD_OFFICER:
            data["agency"] = None
        return data

    def _post_clean(self):
        # The bindings cleared in clean() must reach the instance before the model's own checks run.
        super()._post_clean()
        for name in ("village", "agency"):
            if name in self.cleaned_data and self.cleaned_data[name] is None:
                setattr(self.instance, name, None)


class AccountFilterForm(forms.Form):
    NO_ROLE = "none"

    q = forms.CharField(label=_("Name, username or email"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("All roles")), *Role.choices, (NO_ROLE, _("No role yet"))],
        required=False,
    )


class PasswordLinkForm(PasswordResetForm):
    """Sends the set-your-password link to one given account, even one that has no usable password yet
    (Django's reset form skips those, but a new account has none until its owner chooses one)."""

    def __init__(self, user: User):
        super().__init__({"email": user.email})
        self.user = user

    def get_users(self, email):
        return [self.user] if self.user.is_active and self.user.email else []
