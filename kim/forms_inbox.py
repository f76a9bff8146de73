from django import forms
from django.utils.translation import gettext_lazy as _

from kim.models import User


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
