"""The formation list's download, as an export job (kim.downloads): the list's columns, filtered as the list was
when the person asked, within what the person may see when it is built."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kim.accounts.access import keeps_villages
from kim.downloads import params, registry
from kim.formation import selectors
from kim.formation.filters import FormationFilter


def _filter(user, query) -> FormationFilter:
    """The list's filters on the formations the person follows (as kim.formation.views.formation_list)."""
    return FormationFilter(query or None, queryset=selectors.formations_for(user), user=user)


def _may_export(user) -> bool:
    """Who read the formation list: those who follow formations (staff, village heads) and leaders."""
    return keeps_villages(user) or user.is_leader


def _read(query, user) -> dict:
    return params.from_form(_filter(user, query).form, query)


def _describe(chosen: dict, user) -> str:
    return params.describe_form(_filter(user, registry.as_query(chosen)).form)


def _filename(chosen: dict) -> str:
    year = (chosen.get("year") or [""])[0]
    return f"pembentukan-kim-{year}" if year else "pembentukan-kim"


def _rows(user, chosen: dict) -> registry.Rows:
    formations = _filter(user, registry.as_query(chosen)).qs
    header = [
        _("Year"),
        _("Village"),
        _("Kecamatan"),
        _("KIM"),
        _("State"),
        _("Step reached"),
        _("Confirmation"),
        _("Since"),
    ]
    rows = (
        [
            formation.target.year,
            formation.target.village.name,
            formation.target.village.district.name,
            formation.kim.name if formation.kim else "",
            formation.get_state_display(),
            formation.get_step_display() if formation.step else "",
            formation.get_confirmation_display() if formation.confirmation else "",
            timezone.localdate(formation.step_changed_at),
        ]
        for formation in formations.iterator(chunk_size=1000)
    )
    return registry.Rows(header, rows, total=formations.count(), sheet=_("Formations"))


registry.register(
    registry.ExportKind(
        name="formations",
        label=gettext_lazy("KIM formations"),
        may_export=_may_export,
        read_params=_read,
        describe=_describe,
        filename=_filename,
        rows=_rows,
        list_url="formation:list",
    )
)
