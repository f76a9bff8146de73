"""The reminder rule form: when a rule fires, for whom, and whether it repeats; the trigger is chosen first
and never changes afterwards (the rows a rule planned are about that trigger's subjects)."""

import hashlib
import json
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kim.accounts.models import User
from kim.reminders import registry
from kim.reminders.models import ReminderRule

MAX_DAYS = 365


class ReminderRuleForm(forms.ModelForm):
    offset_days = forms.IntegerField(
        label=_("Days from the trigger"),
        min_value=-MAX_DAYS,
        max_value=MAX_DAYS,
        help_text=_(
            "Negative: before it (-3 is three days before); 0: at the moment itself; positive: after it."
        ),
    )
    repeat_every_days = forms.IntegerField(
        label=_("Repeat every (days)"),
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        help_text=_("Empty: once. Repeats stop as soon as the matter is resolved."),
    )
    audience = forms.MultipleChoiceField(
        label=_("Who receives it"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one group of people to receive it."),
            "invalid_choice": _("“%(value)s” cannot receive reminders of this trigger."),
        },
    )

    class Meta:
        model = ReminderRule
        fields = ["name", "offset_days", "repeat_every_days", "audience", "is_active"]

    def __init__(self, *args, trigger: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.trigger = trigger
        self.trigger = registry.trigger(trigger)
        audience = cast(forms.MultipleChoiceField, self.fields["audience"])
        audience.choices = [(a, registry.audience_label(a)) for a in self.trigger.audiences]
        if not self.trigger.repeatable:
            self.fields["repeat_every_days"].help_text = _(
                "Leave empty: this trigger happens once, so its reminders cannot repeat."
            )

    def clean_repeat_every_days(self):
        every = self.cleaned_data["repeat_every_days"]
        if every and not self.trigger.repeatable:
            raise ValidationError(
                _("“%(trigger)s” happens once, so its reminders cannot repeat: leave this empty."),
                params={"trigger": self.trigger.label},
                code="not_repeatable",
            )
        return every

    def clean_audience(self):
        # In the order the trigger lists them, each once.
        chosen = set(self.cleaned_data["audience"])
        return [audience for audience in self.trigger.audiences if audience in chosen]

    def fingerprint(self) -> str:
        """What a preview showed, in short: saving checks it, so that nothing is saved unseen."""
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        text = json.dumps([self.trigger.value, self.instance.pk, data], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


class NotificationSettingsForm(forms.ModelForm):
    """The channels a person wants reminders on, besides the inbox, and the phone number WhatsApp needs."""

    class Meta:
        model = User
        fields = ["notify_by_email", "notify_by_whatsapp", "phone"]
        help_texts = {"phone": _("An Indonesian mobile number, such as 0812 3456 7890.")}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify_by_email") and not self.instance.email:
            self.add_error(
                "notify_by_email",
                _(
                    "Your account has no email address. Ask a staff administrator to add one, or untick email."
                ),
            )
        if cleaned.get("notify_by_whatsapp") and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error(
                "notify_by_whatsapp", _("Enter your mobile phone number to receive reminders on WhatsApp.")
            )
        return cleaned
