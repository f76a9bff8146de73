"""The KIM register's filters: the list page and its downloads read the same FilterSet."""

import django_filters
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kim.accounts.models import User
from kim.lib.filtersets import ListFilterSet
from kim.register.models import DevelopmentLevel, Kim, Member, visit_cutoff
from villages.filters import home_district_choices
from villages.models import Village

YES_NO = (("yes", _("Yes")), ("no", _("No")))


class LastVisit:
    RECENT = "recent"
    OVERDUE = "overdue"
    NEVER = "never"


def _last_visit_choices() -> list[tuple[str, str | Promise]]:
    # A callable, so that the cadence in the label follows the setting (tests change it).
    days = settings.KIM_VISIT_CADENCE_DAYS
    return [
        (LastVisit.RECENT, _("Visited in the last %(days)d days") % {"days": days}),
        (LastVisit.OVERDUE, _("Overdue (no visit in %(days)d days)") % {"days": days}),
        (LastVisit.NEVER, _("Never visited")),
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


def _levels() -> list[tuple[int, str]]:
    return list(DevelopmentLevel.objects.values_list("id", "name"))


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
        choices=_levels, label=_("Development level"), empty_label=_("All levels"), field_name="level_id"
    )
    origin = django_filters.ChoiceFilter(choices=Kim.Origin.choices, label=_("Origin"), empty_label=_("All"))
    mentor = django_filters.ChoiceFilter(
        choices=_mentors, method="filter_mentor", label=_("Mentor"), empty_label=_("Any mentor")
    )
    last_visit = django_filters.ChoiceFilter(
        choices=_last_visit_choices, method="filter_last_visit", label=_("Last visit"), empty_label=_("All")
    )
    flagged = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_flagged", label=_("No ketua or too few members"), empty_label=_("All")
    )

    class Meta:
        model = Kim
        fields = ["q", "kecamatan", "status", "level", "origin", "mentor", "last_visit", "flagged"]

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

    def filter_last_visit(self, queryset, name, value):
        if value == LastVisit.RECENT:
            return queryset.filter(last_visit_on__gte=visit_cutoff())
        if value == LastVisit.NEVER:
            return queryset.filter(last_visit_on__isnull=True)
        return queryset.visit_overdue()

    def filter_flagged(self, queryset, name, value):
        flagged = ~has_current_ketua() | Q(member_total__lt=settings.KIM_MIN_MEMBERS)
        queryset = queryset.alias(member_total=current_member_count())
        return queryset.filter(flagged) if value == "yes" else queryset.exclude(flagged)
