"""The mentoring-visit form: validates and normalises, the service writes."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from kim.accounts.access import STAFF_ROLES
from kim.accounts.models import User
from kim.lib.dates import FIRST_DAY
from kim.lib.fields import DayField, RowChoiceField
from kim.lib.uploads import MultiplePhotoField, RemovePhotosField, check_photo_total
from kim.mentoring.models import Visit, VisitPhoto

MAX_PHOTOS = 10
MAX_PARTICIPANTS = 100_000


def _officer_choices(visit: Visit | None):
    """Active staff, and whoever is already on the visit (so that editing a past visit keeps a staff member
    who has since left)."""
    wanted = Q(is_active=True, role__in=STAFF_ROLES)
    if visit is not None and visit.pk:
        wanted |= Q(kim_visits=visit)
    return User.objects.filter(wanted).distinct().order_by("first_name", "last_name", "username")


class VisitForm(forms.Form):
    visited_on = DayField(
        label=_("Date of the visit"),
        error_messages={"invalid": _("Enter a valid date.")},
    )
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=Visit.Kind.choices)
    officers = RowChoiceField(
        label=_("Officers who visited"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one officer."),
            "invalid_choice": _("Choose officers from the list."),
        },
    )
    topic = forms.CharField(label=_("Topic"), max_length=200)
    participants = forms.IntegerField(
        label=_("Number of participants"), min_value=0, max_value=MAX_PARTICIPANTS, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False
    )
    photos = MultiplePhotoField(max_files=MAX_PHOTOS)
    remove_photos = RemovePhotosField(
        queryset=VisitPhoto.objects.none(),
        describe=_("Photo %(number)s of the visit"),
        error_messages={"invalid_choice": _("Choose photos of this visit.")},
    )

    def __init__(self, *args, visit: Visit | None = None, **kwargs):
        self.visit = visit
        if visit is not None:
            kwargs.setdefault("initial", self.initial_for(visit))
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["officers"]).queryset = _officer_choices(visit)
        if visit is None:
            del self.fields["remove_photos"]
        else:
            removable = cast(forms.ModelMultipleChoiceField, self.fields["remove_photos"])
            removable.queryset = visit.photos.order_by("pk")

    @staticmethod
    def initial_for(visit: Visit) -> dict:
        return {
            "visited_on": visit.visited_on,
            "kind": visit.kind,
            "officers": list(visit.officers.values_list("pk", flat=True)),
            "topic": visit.topic,
            "participants": visit.participants,
            "notes": visit.notes,
        }

    def clean_visited_on(self):
        visited_on = self.cleaned_data["visited_on"]
        if visited_on > timezone.localdate():
            raise ValidationError(_("The visit cannot be in the future."), code="future")
        if visited_on < FIRST_DAY:
            raise ValidationError(_("Check the year: the date is too far in the past."), code="too_old")
        return visited_on

    def clean_topic(self):
        topic = " ".join(self.cleaned_data["topic"].split())
        if not topic:
            raise ValidationError(_("Give the topic of the visit."), code="required")
        return topic

    def clean(self):
        data = super().clean()
        if self.visit is not None:
            too_many = ngettext_lazy(
                "A visit keeps at most %(count)d photo; remove some first.",
                "A visit keeps at most %(count)d photos; remove some first.",
                "count",
            )
            check_photo_total(self, held=self.visit.photos.count(), too_many=too_many)
        return data
