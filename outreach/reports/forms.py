"""Forms for what happened at a session: the report, its follow-up actions, completing one. They validate and
normalise; outreach.reports.services writes."""

import datetime as dt
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from kim.lib.dates import FIRST_DAY
from kim.lib.fields import DayField
from kim.lib.phone import PhoneFormField
from kim.lib.uploads import MultiplePhotoField, RemovePhotosField, check_photo_total
from outreach.reports.models import FollowUp, SessionPhoto
from outreach.reports.services import AttendeeRow, FollowUpRow
from outreach.sessions.models import Session

MAX_ATTENDANCE = 100_000
MAX_PHOTOS = 10
MAX_NAMES = 1000
MAX_FOLLOW_UPS = 30
NAME_LENGTH = 150
GENDERS = {"L": "L", "P": "P"}
DUE_YEARS_AHEAD = 5


def _one_line(text: str) -> str:
    return " ".join(text.split())


def parse_names(text: str) -> list[AttendeeRow]:
    """One attendee a line: `name`, or `name; origin`, or `name; origin; L/P`. Blank lines are skipped."""
    rows: list[AttendeeRow] = []
    errors: list[ValidationError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [_one_line(part) for part in line.split(";")]
        if not any(parts):
            continue
        name, origin, gender = [*parts, "", ""][:3]
        gender = gender.upper()
        if len(parts) > 3 or not name or gender not in {"", *GENDERS}:
            errors.append(
                ValidationError(
                    _("Line %(number)d: write the name, then optionally ; origin ; L or P."),
                    params={"number": number},
                )
            )
        elif len(name) > NAME_LENGTH or len(origin) > NAME_LENGTH:
            errors.append(
                ValidationError(
                    _("Line %(number)d is too long (at most %(limit)d characters a part)."),
                    params={"number": number, "limit": NAME_LENGTH},
                )
            )
        else:
            rows.append(AttendeeRow(name=name, origin=origin, gender=gender))
    if errors:
        raise ValidationError(errors[:10])
    if len(rows) > MAX_NAMES:
        raise ValidationError(_("At most %(limit)d names."), params={"limit": MAX_NAMES}, code="too_many")
    return rows


def names_text(session: Session) -> str:
    """The typed list as it would be typed again, for correcting a report."""
    lines = []
    for attendee in session.attendees.all():
        parts = [attendee.name, attendee.origin, attendee.gender]
        while parts and not parts[-1]:
            parts.pop()
        lines.append("; ".join(parts))
    return "\n".join(lines)


class ReportForm(forms.Form):
    attended_male = forms.IntegerField(
        label=_("Men attending"), min_value=0, max_value=MAX_ATTENDANCE, initial=0
    )
    attended_female = forms.IntegerField(
        label=_("Women attending"), min_value=0, max_value=MAX_ATTENDANCE, initial=0
    )
    names = forms.CharField(
        label=_("Names from the paper attendance list (optional)"),
        widget=forms.Textarea(attrs={"rows": 6, "autocapitalize": "words"}),
        max_length=100_000,
        required=False,
        help_text=_("One person a line: name; origin (RT/RW or group); L or P. Only the name is needed."),
    )
    minutes = forms.CharField(
        label=_("Minutes (notulen)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        required=False,
    )
    photos = MultiplePhotoField(max_files=MAX_PHOTOS)
    remove_photos = RemovePhotosField(
        queryset=SessionPhoto.objects.none(),
        describe=_("Photo %(number)s of the session"),
        error_messages={"invalid_choice": _("Choose photos of this session.")},
    )

    def __init__(self, *args, session: Session, **kwargs):
        self.session = session
        super().__init__(*args, **kwargs)
        self.existing_photos = list(session.photos.order_by("pk"))
        removable = cast(forms.ModelMultipleChoiceField, self.fields["remove_photos"])
        removable.queryset = session.photos.order_by("pk")

    @staticmethod
    def initial_for(session: Session) -> dict:
        report = getattr(session, "report", None)
        if report is None:
            return {}
        return {
            "attended_male": report.attended_male,
            "attended_female": report.attended_female,
            "minutes": report.minutes,
            "names": names_text(session),
        }

    def clean_names(self) -> list[AttendeeRow]:
        return parse_names(self.cleaned_data["names"])

    def clean_minutes(self) -> str:
        return self.cleaned_data["minutes"].strip()

    def clean(self):
        data = super().clean()
        too_many = ngettext_lazy(
            "A session keeps at most %(count)d photo; remove some first.",
            "A session keeps at most %(count)d photos; remove some first.",
            "count",
        )
        check_photo_total(self, held=len(self.existing_photos), too_many=too_many)
        return data


class FollowUpForm(forms.Form):
    follow_up = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**62)
    action = forms.CharField(label=_("Follow-up action"), max_length=500)
    owner = forms.CharField(label=_("Who does it"), max_length=150)
    owner_phone = PhoneFormField(
        label=_("Their phone (optional)"),
        required=False,
        help_text=_("For WhatsApp reminders before the due date and while it is overdue."),
    )
    # Due within a few years: a follow-up due in 9999 would overflow the reminders planned around it.
    due_on = DayField(label=_("Due date"), years_ahead=DUE_YEARS_AHEAD)

    def __init__(self, *args, existing: dict[int, FollowUp], **kwargs):
        self.existing = existing
        super().__init__(*args, **kwargs)

    def clean_action(self) -> str:
        return self._required_line("action")

    def clean_owner(self) -> str:
        return self._required_line("owner")

    def _required_line(self, name: str) -> str:
        value = _one_line(self.cleaned_data[name])
        if not value:
            raise ValidationError(_("This field is required."), code="required")
        return value

    def clean_follow_up(self) -> FollowUp | None:
        pk = self.cleaned_data["follow_up"]
        if pk is None:
            return None
        if pk not in self.existing:
            raise ValidationError(_("This follow-up action is not part of the session."), code="unknown")
        return self.existing[pk]


class BaseFollowUpFormSet(forms.BaseFormSet):
    def __init__(self, *args, session: Session, **kwargs):
        existing = {item.pk: item for item in session.follow_ups.all()}
        initial = [
            {
                "follow_up": item.pk,
                "action": item.action,
                "owner": item.owner,
                "owner_phone": item.owner_phone,
                "due_on": item.due_on,
            }
            for item in existing.values()
        ]
        kwargs.setdefault("initial", initial)
        kwargs["form_kwargs"] = {"existing": existing}
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        seen = [form.cleaned_data.get("follow_up") for form in self.forms if form.cleaned_data]
        named = [item.pk for item in seen if item is not None]
        if len(named) != len(set(named)):
            raise ValidationError(_("A follow-up action appears twice; reload the page."), code="twice")

    def rows(self) -> tuple[list[FollowUpRow], list[FollowUp]]:
        """The follow-ups to keep or add, and those ticked for removal."""
        kept: list[FollowUpRow] = []
        removed: list[FollowUp] = []
        for form in self.forms:
            data = form.cleaned_data
            if not data:
                continue
            if data.get("DELETE"):
                if data.get("follow_up") is not None:
                    removed.append(data["follow_up"])
                continue
            kept.append(
                FollowUpRow(
                    action=data["action"],
                    owner=data["owner"],
                    owner_phone=data.get("owner_phone", ""),
                    due_on=data["due_on"],
                    follow_up=data.get("follow_up"),
                )
            )
        return kept, removed


FollowUpFormSet = forms.formset_factory(
    FollowUpForm,
    formset=BaseFollowUpFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_FOLLOW_UPS,
    validate_max=True,
    absolute_max=MAX_FOLLOW_UPS,
)


class FollowUpDoneForm(forms.Form):
    done_on = DayField(label=_("Done on"))

    def clean_done_on(self) -> dt.date:
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise ValidationError(_("The completion date cannot be in the future."), code="future")
        if done_on < FIRST_DAY:
            raise ValidationError(_("Check the year: the date is too far in the past."), code="too_old")
        return done_on
