"""The KIM register's filters: the list page and its downloads read the same FilterSet."""

import datetime as dt

import django_filters
from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kim.accounts.models import User
from kim.lib.dates import FIRST_YEAR, LAST_YEAR
from kim.lib.filtersets import FILTER_YEARS, DatePicker, ListFilterSet
from kim.register.models import DevelopmentLevel, Kim, Member, visit_cutoff
from villages.filters import founding_year, home_district_choices
from villages.models import Village

YES_NO = (("yes", _("Yes")), ("no", _("No")))


class LastVisit:
    RECENT = "recent"
    OVERDUE = "overdue"
    NEVER = "never"
    # Not overdue by Kim.visit_overdue's rule: visited within the cadence, or founded within it.
    WITHIN = "within"


# The level filter's choice for KIMs with no development level.
NO_LEVEL = "none"


def _last_visit_choices() -> list[tuple[str, str | Promise]]:
    # A callable, so that the cadence in the label follows the setting (tests change it).
    days = settings.KIM_VISIT_CADENCE_DAYS
    return [
        (LastVisit.RECENT, _("Visited in the last %(days)d days") % {"days": days}),
        (LastVisit.OVERDUE, _("Overdue (no visit in %(days)d days)") % {"days": days}),
        (LastVisit.NEVER, _("Never visited")),
        (LastVisit.WITHIN, _("Active, not overdue for a visit")),
    ]


def current_members() -> QuerySet[Member]:
    """The current members of the KIM of the outer query's row, for subqueries."""
    return Member.objects.current().filter(kim=OuterRef("pk")).order_by()


def has_current_ketua() -> Exists:
    # Found through the partial unique index behind the one-current-ketua constraint.
    return Exists(current_members().filter(position=Member.Position.KETUA))


def current_member_count() -> Coalesce:
    counted = current_members().values("kim").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted), Value(0))


def _levels() -> list[tuple[int | str, str | Promise]]:
    return [*DevelopmentLevel.objects.values_list("id", "name"), (NO_LEVEL, _("No level"))]


def last_visit_by(day: dt.date) -> Subquery:
    """The last visit of the KIM of the row on or before `day`, from the visits themselves (Kim.last_visit_on
    is only the latest)."""
    visits = Kim._meta.get_field("visits").related_model._default_manager.filter(
        kim=OuterRef("pk"), visited_on__lte=day
    )
    return Subquery(visits.order_by().values("kim").annotate(last=Max("visited_on")).values("last"))


def visit_overdue_as_of(day: dt.date) -> Q:
    """Kim.visit_overdue's rule as at `day`, for active KIMs annotated with `last_visit` (last_visit_by)."""
    cutoff = visit_cutoff(day)
    never = Q(last_visit__isnull=True) & (Q(founded_on__isnull=True) | Q(founded_on__lt=cutoff))
    return Q(last_visit__lt=cutoff) | never


def _mentors() -> list[tuple[int, str]]:
    """Staff who mentor at least one KIM, by name; read as tuples, so no user instance is built."""
    mentoring = Kim.mentors.through.objects.filter(user_id=OuterRef("pk"))
    rows = (
        User.objects.filter(Exists(mentoring))
        .order_by("first_name", "last_name", "username")
        .values_list("id", "first_name", "last_name", "username")
    )
    return [(pk, f"{first} {last}".strip() or username) for pk, first, last, username in rows]


class KimFilter(ListFilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("KIM or village name"), max_length=100)
    kecamatan = django_filters.ChoiceFilter(
        choices=home_district_choices,
        label=_("Kecamatan"),
        empty_label=_("All kecamatan"),
        field_name="village__district_id",
    )
    # Groups still being formed are not in the register, so "being formed" is no choice here.
    status = django_filters.ChoiceFilter(
        choices=[(value, label) for value, label in Kim.Status.choices if value != Kim.Status.FORMING],
        label=_("Status"),
        empty_label=_("All"),
    )
    level = django_filters.ChoiceFilter(
        choices=_levels, method="filter_level", label=_("Development level"), empty_label=_("All levels")
    )
    founded = django_filters.NumberFilter(
        method="filter_founded", label=_("Founded in"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    founded_by = django_filters.NumberFilter(
        method="filter_founded_by",
        label=_("Founded by the end of"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )
    origin = django_filters.ChoiceFilter(choices=Kim.Origin.choices, label=_("Origin"), empty_label=_("All"))
    mentor = django_filters.ChoiceFilter(
        choices=_mentors, method="filter_mentor", label=_("Mentor"), empty_label=_("Any mentor")
    )
    last_visit = django_filters.ChoiceFilter(
        choices=_last_visit_choices, method="filter_last_visit", label=_("Last visit"), empty_label=_("All")
    )
    visit_as_of = django_filters.DateFilter(
        method="filter_nothing",
        label=_("Last visit as at"),
        widget=DatePicker,
        validators=FILTER_YEARS,
        help_text=_("Read the last visit as it stood on this day (today when empty)."),
    )
    flagged = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_flagged", label=_("No ketua or too few members"), empty_label=_("All")
    )

    class Meta:
        model = Kim
        fields = [
            "q",
            "kecamatan",
            "status",
            "level",
            "founded",
            "founded_by",
            "origin",
            "mentor",
            "last_visit",
            "visit_as_of",
            "flagged",
        ]

    # By name; the id keeps KIMs of the same name in a stable order from page to page.
    ordering: tuple[str, ...] = ("name", "pk")

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The villages as a subquery of their own: PostgreSQL finds them through the village name's trigram
        # index instead of joining every KIM to its village.
        villages = Village.objects.filter(name__icontains=value).values("pk")
        return queryset.filter(Q(name__icontains=value) | Q(village_id__in=villages))

    def filter_mentor(self, queryset, name, value):
        return queryset.filter(
            Exists(Kim.mentors.through.objects.filter(kim_id=OuterRef("pk"), user_id=value))
        )

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_last_visit

    def filter_level(self, queryset, name, value):
        return queryset.filter(level__isnull=True) if value == NO_LEVEL else queryset.filter(level_id=value)

    def filter_founded(self, queryset, name, value):
        return queryset.alias(founding=founding_year()).filter(founding=value)

    def filter_founded_by(self, queryset, name, value):
        return queryset.alias(founding=founding_year()).filter(founding__lte=value)

    def filter_last_visit(self, queryset, name, value):
        as_of = self.form.cleaned_data.get("visit_as_of")
        if as_of and value in (LastVisit.OVERDUE, LastVisit.WITHIN):
            overdue = visit_overdue_as_of(as_of)
            queryset = queryset.active().alias(last_visit=last_visit_by(as_of))
            return queryset.filter(overdue) if value == LastVisit.OVERDUE else queryset.exclude(overdue)
        if value == LastVisit.WITHIN:
            return queryset.active().exclude(pk__in=Kim.objects.visit_overdue().values("pk"))
        if value == LastVisit.RECENT:
            return queryset.filter(last_visit_on__gte=visit_cutoff())
        if value == LastVisit.NEVER:
            return queryset.filter(last_visit_on__isnull=True)
        return queryset.visit_overdue()

    def filter_flagged(self, queryset, name, value):
        flagged = ~has_current_ketua() | Q(member_total__lt=settings.KIM_MIN_MEMBERS)
        queryset = queryset.alias(member_total=current_member_count())
        return queryset.filter(flagged) if value == "yes" else queryset.exclude(flagged)
