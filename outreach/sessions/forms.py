"""Forms of the session pages: propose, change, reschedule (each warning of clashes), answer, cancel."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kim.accounts.models import User
from kim.lib.dates import FIRST_YEAR, LAST_YEAR, in_year_range
from kim.lib.fields import RowChoiceField
from kim.register.models import Kim
from outreach.directory.models import Agency, ResourcePerson, Topic
from outreach.sessions import services
from outreach.sessions.models import Session


class WibDateTimeField(forms.DateTimeField):
    """A date and time typed in WIB through the browser's own picker; kept to years a session can have
    (a year such as 0001 would overflow when converted to UTC)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        moment = super().to_python(value)
        if moment and not in_year_range(moment.year):
            raise ValidationError(
                _("Enter a date between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
                code="year",
            )
        return moment


class ActiveKimIterator(ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        self.queryset = self.queryset.active()


class ActiveKimField(forms.ModelChoiceField):
    """Offers active KIMs only, yet recognises an inactive one, so that choosing it is refused with a clear
    reason rather than "not one of the choices"."""

    iterator = ActiveKimIterator

    def __init__(self, **kwargs):
        # The regency this deployment serves: a national register would make the list unusable.
        kims = (
            Kim.objects.registered()
            .filter(village__district__regency_id=settings.KIM_REGENCY_CODE)
            .select_related("village__district")
            .order_by("name", "pk")
        )
        super().__init__(queryset=kims, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.village.name}, {obj.village.district.name})"

    def validate(self, value):
        super().validate(value)
        if value is not None and not value.is_active:
            raise ValidationError(
                _("%(kim)s is not an active KIM; sessions are held in active KIMs only.")
                % {"kim": value.name},
                code="inactive_kim",
            )


class ClashCheckForm(forms.Form):
    """Warns of sessions booked at an overlapping time in the same KIM or with the same resource persons.

    With clashes the form is refused until "save anyway" is ticked for exactly the clashes shown: the page
    carries their ids back, so a time changed onto other clashes is warned of again.
    """

    save_anyway = forms.BooleanField(label=_("Save anyway, despite the clashes above"), required=False)

    clashes: list[services.Clash]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clashes = []

    def find_clashes(self) -> list[services.Clash]:
        """The clashes of what was entered; called only once every field is valid."""
        raise NotImplementedError

    @property
    def clash_key(self) -> str:
        return ",".join(str(clash.session.pk) for clash in self.clashes)

    def clean(self):
        data = super().clean()
        self.clashes = [] if self.errors else self.find_clashes()
        if not self.clashes:
            return data
        if not data.get("save_anyway"):
            self.add_error("save_anyway", _("Tick this box to save despite the clashes, or change the time."))
        elif self.data.get("seen_clashes") != self.clash_key:
            self.add_error("save_anyway", _("These clashes are new: check them and tick the box again."))
        return data

    @property
    def only_clashes(self) -> bool:
        """Refused for the clashes alone: the page shows a warning, not an error."""
        return bool(self.clashes) and set(self.errors) == {"save_anyway"}


class ResourcePersonField(RowChoiceField):
    def label_from_instance(self, obj):
        where = obj.agency.short_name if obj.agency else obj.sector
        return f"{obj.name} ({where})" if where else obj.name


def resource_person_field() -> ResourcePersonField:
    return ResourcePersonField(
        label=_("Resource persons"),
        queryset=ResourcePerson.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (or tap, on a phone) to choose several."),
    )


class SessionDetailsForm(ClashCheckForm):
    """What a proposal and a change share: topic, title, venue, people."""

    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.none(), required=False, empty_label=_("Another topic")
    )
    topic_other = forms.CharField(
        label=_("Other topic"),
        max_length=150,
        required=False,
        help_text=_("Only when the topic is not on the list."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    venue = forms.CharField(label=_("Venue"), max_length=250, help_text=_("For example: Balai Desa."))
    resource_persons = resource_person_field()
    expected_audience = forms.IntegerField(
        label=_("Expected audience"), min_value=1, max_value=100_000, required=False
    )

    def __init__(self, *args, current: Session | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Topics and people no longer offered stay valid on a session that already has them.
        topic_id = current.topic_id if current else None
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ModelChoiceField)
        topic.queryset = Topic.objects.filter(Q(is_active=True) | Q(pk=topic_id))
        kept = current.resource_persons.values("pk") if current else []
        persons = self.fields["resource_persons"]
        assert isinstance(persons, forms.ModelMultipleChoiceField)
        persons.queryset = ResourcePerson.objects.filter(Q(is_active=True) | Q(pk__in=kept)).select_related(
            "agency"
        )

    def clean(self):
        data = self.cleaned_data
        topic, other = data.get("topic"), (data.get("topic_other") or "").strip()
        if "topic" in data and "topic_other" in data:
            if topic is None and not other:
                self.add_error("topic", _("Choose a topic from the list, or type another below."))
            elif topic is not None and other:
                self.add_error("topic_other", _("Leave this empty when a topic is chosen from the list."))
        # Last, so that clashes are looked for only once everything else is right.
        return super().clean()

    def details(self) -> dict:
        data = self.cleaned_data
        return {
            "topic": data["topic"],
            "topic_other": data["topic_other"],
            "title": data["title"],
            "venue": data["venue"],
            "resource_persons": list(data["resource_persons"]),
            "expected_audience": data["expected_audience"],
        }


def _check_times(form: forms.Form, data: dict) -> None:
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends <= starts:
        form.add_error("ends_at", _("The session must end after it starts."))
    if starts and starts <= timezone.now():
        form.add_error("starts_at", _("The start lies in the past; choose a time still to come."))


class SessionProposeForm(SessionDetailsForm):
    """A new session. Staff choose the agency it is proposed for; an officer proposes for their own."""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.filter(is_active=True))
    kim = ActiveKimField(label=_("KIM"))
    starts_at = WibDateTimeField(label=_("Starts (WIB)"))
    ends_at = WibDateTimeField(label=_("Ends (WIB)"))

    field_order = [
        "agency",
        "kim",
        "topic",
        "topic_other",
        "title",
        "starts_at",
        "ends_at",
        "venue",
        "resource_persons",
        "expected_audience",
    ]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_dinkominfo:
            del self.fields["agency"]
        self.user = user

    def clean(self):
        _check_times(self, self.cleaned_data)
        return super().clean()

    def find_clashes(self) -> list[services.Clash]:
        data = self.cleaned_data
        return services.session_clashes(
            kim=data["kim"],
            resource_persons=data["resource_persons"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
        )

    def proposal(self) -> dict:
        data = self.cleaned_data
        agency = data["agency"] if "agency" in self.fields else self.user.agency
        return {
            **self.details(),
            "agency": agency,
            "kim": data["kim"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
        }


class SessionEditForm(SessionDetailsForm):
    """The details of a session still waiting for confirmation (its times move by rescheduling)."""

    def __init__(self, *args, session: Session, **kwargs):
        self.session = session
        self.booked = set(session.resource_persons.values_list("pk", flat=True))
        initial = {
            "topic": session.topic_id,
            "topic_other": session.topic_other,
            "title": session.title,
            "venue": session.venue,
            "resource_persons": sorted(self.booked),
            "expected_audience": session.expected_audience,
        }
        super().__init__(*args, initial=initial, current=session, **kwargs)

    def find_clashes(self) -> list[services.Clash]:
        """Clashes of the people added: the time and the KIM stay, and their clashes were seen before."""
        added = [person for person in self.cleaned_data["resource_persons"] if person.pk not in self.booked]
        if not added:
            return []
        clashes = services.session_clashes(
            kim=self.session.kim,
            resource_persons=added,
            starts_at=self.session.starts_at,
            ends_at=self.session.ends_at,
            exclude=self.session,
        )
        return [clash for clash in clashes if clash.resource_persons]


class RescheduleForm(ClashCheckForm):
    starts_at = WibDateTimeField(label=_("New start (WIB)"))
    ends_at = WibDateTimeField(label=_("New end (WIB)"))
    venue = forms.CharField(label=_("Venue"), max_length=250)
    reason = forms.CharField(
        label=_("Reason for the new date"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["starts_at", "ends_at", "venue", "reason"]

    def __init__(self, *args, session: Session, **kwargs):
        initial = {"starts_at": session.starts_at, "ends_at": session.ends_at, "venue": session.venue}
        super().__init__(*args, initial=initial, **kwargs)
        self.session = session

    def clean(self):
        _check_times(self, self.cleaned_data)
        return super().clean()

    def find_clashes(self) -> list[services.Clash]:
        return services.session_clashes(
            kim=self.session.kim,
            resource_persons=self.session.resource_persons.all(),
            starts_at=self.cleaned_data["starts_at"],
            ends_at=self.cleaned_data["ends_at"],
            exclude=self.session,
        )


class ConfirmForm(forms.Form):
    """Carries the fingerprint of the date and venue the village head saw."""

    stamp = forms.CharField(max_length=64, widget=forms.HiddenInput)


def reason_field(label) -> forms.CharField:
    return forms.CharField(label=label, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DateRequestForm(forms.Form):
    reason = reason_field(_("Why another date, and which dates would suit the village"))


class CancelForm(forms.Form):
    reason = reason_field(_("Reason for cancelling"))

    def __init__(self, *args, **kwargs):
        # Its own ids: the session page shows it beside the date request form, whose field is also `reason`.
        kwargs.setdefault("auto_id", "id_cancel_%s")
        super().__init__(*args, **kwargs)
