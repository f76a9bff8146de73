import re

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Case, Exists, OuterRef, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kim.lib.dates import FIRST_YEAR, LAST_YEAR, current_year
from kim.lib.filtersets import ListFilterSet
from outreach.directory.models import Agency
from villages.models import District, Village, VillageKind, VillageYear

YES_NO = (("yes", _("Yes")), ("no", _("No")))
# ASCII digits only (`\d` would take Arabic-Indic and full-width digits too).
_DOTTED_CODE_PREFIX = re.compile(r"[0-9]{2}(\.[0-9]{2}){0,2}(\.[0-9]{0,4})?\.?")
_PLAIN_CODE_PREFIX = re.compile(r"[0-9]{2,10}")


def dotted_code(code: str) -> str:
    """3303042006 → 33.03.04.2006 (and 330304 → 33.03.04), so that codes can be typed either way."""
    if not _PLAIN_CODE_PREFIX.fullmatch(code):
        return code
    parts = [code[0:2], code[2:4], code[4:6], code[6:10]]
    return ".".join(part for part in parts if part)


def _above(relation: str):
    """A model of a feature above villages in the layers, reached through Village's own relation to it: the
    register and the formation work read villages, so villages reads them this way and never imports them."""
    return Village._meta.get_field(relation).related_model


def registered_kims():
    """KIMs that exist (not groups still being formed), of any village."""
    return _above("kims")._default_manager.registered()


def village_formations():
    return _above("kim_targets")._meta.get_field("formation").related_model._default_manager.all()


def has_registered_kim() -> Exists:
    """Whether the village of the row has a KIM: the flag the lists, the map and the filter read."""
    return Exists(registered_kims().filter(village=OuterRef("pk")))


def founding_year() -> Coalesce:
    """A KIM's founding year: its founding date's, or without one the year it was recorded (WIB). The
    dashboard counts KIMs by it, and the register's and this list's filters read it."""
    return Coalesce(
        ExtractYear("founded_on"), ExtractYear("created_at", tzinfo=timezone.get_current_timezone())
    )


def active_kim_by(year: int, village: str = "pk") -> Exists:
    """Whether the village of the row has a KIM active today and founded by the end of `year`: what the
    dashboard counts as a zona merah village covered that year."""
    kims = (
        registered_kims().filter(status="active").alias(founding=founding_year()).filter(founding__lte=year)
    )
    return Exists(kims.filter(village=OuterRef(village)))


def home_district_choices() -> list[tuple[str, str]]:
    """The kecamatan of the regency this deployment serves, for filter choices."""
    return list(District.objects.filter(regency_id=settings.KIM_REGENCY_CODE).values_list("code", "name"))


def _agencies() -> list[tuple[int, str]]:
    return list(Agency.objects.values_list("id", "short_name"))


class VillageFilter(ListFilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Name or code"), max_length=100)
    # Choices read once per request as plain tuples: validating a choice needs no query of its own, and
    # rendering no model instances.
    district = django_filters.ChoiceFilter(
        choices=home_district_choices,
        label=_("Kecamatan"),
        empty_label=_("All kecamatan"),
        field_name="district_id",
    )
    kind = django_filters.ChoiceFilter(
        choices=VillageKind.choices, label=_("Desa / kelurahan"), empty_label=_("All")
    )
    year = django_filters.NumberFilter(
        method="filter_nothing",
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput,
    )
    red_zone = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_red_zone", label=_("Zona merah"), empty_label=_("All")
    )
    mentor = django_filters.ChoiceFilter(
        choices=_agencies, method="filter_mentor", label=_("Desa binaan of"), empty_label=_("Any agency")
    )
    has_kim = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_has_kim", label=_("Has a KIM"), empty_label=_("All")
    )
    active_kim = django_filters.ChoiceFilter(
        choices=YES_NO,
        method="filter_active_kim",
        label=_("A KIM active, founded by the year's end"),
        empty_label=_("All"),
    )

    class Meta:
        model = Village
        fields = ["q", "district", "kind", "year", "red_zone", "mentor", "has_kim", "active_kim"]

    ordering: tuple[str, ...] = ("code",)

    @property
    def year_value(self) -> int:
        """The status year the filters and columns refer to: the one asked for, or this year."""
        if self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("year"):
            return int(self.form.cleaned_data["year"])
        return current_year()

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if _DOTTED_CODE_PREFIX.fullmatch(value) or _PLAIN_CODE_PREFIX.fullmatch(value):
            return queryset.filter(code__startswith=dotted_code(value))
        if not value:
            return queryset
        # Names that start with the words come first. Ordering on more than the code also lets PostgreSQL
        # find the matches through the name's trigram index instead of walking every code in order.
        self.ordering = ("search_rank", "code")
        return queryset.filter(name__icontains=value).annotate(
            search_rank=Case(When(name__istartswith=value, then=Value(0)), default=Value(1))
        )

    def _year_status(self, **conditions):
        return Exists(VillageYear.objects.filter(village=OuterRef("pk"), year=self.year_value, **conditions))

    def filter_red_zone(self, queryset, name, value):
        on_list = self._year_status(is_red_zone=True)
        return queryset.filter(on_list if value == "yes" else ~on_list)

    def filter_mentor(self, queryset, name, value):
        return queryset.filter(self._year_status(mentor_agency_id=value))

    def filter_active_kim(self, queryset, name, value):
        active = active_kim_by(self.year_value)
        return queryset.filter(active if value == "yes" else ~active)

    def filter_has_kim(self, queryset, name, value):
        has_kim = has_registered_kim()
        return queryset.filter(has_kim if value == "yes" else ~has_kim)
