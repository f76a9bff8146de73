"""The village list's download, as an export job (kim.downloads): the same rows as the list, filtered as it
was when the person asked, within what the person may see when it is built."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kim.downloads import params, registry
from kim.lib.dates import current_year
from villages import selectors


def _read(query, user) -> dict:
    return params.from_form(selectors.village_filter(user, query).form, query)


def _describe(chosen: dict, user) -> str:
    return params.describe_form(selectors.village_filter(user, registry.as_query(chosen)).form)


def _filename(chosen: dict) -> str:
    year = (chosen.get("year") or [""])[0]
    return f"desa-{year or current_year()}"


def _rows(user, chosen: dict) -> registry.Rows:
    village_filter = selectors.village_filter(user, registry.as_query(chosen))
    year = village_filter.year_value
    header = [
        _("Code"),
        _("Name"),
        _("Kind"),
        _("Kecamatan"),
        _("Zona merah %(year)s") % {"year": year},
        _("Desa binaan of (%(year)s)") % {"year": year},
        _("Has a KIM"),
        _("Village head"),
        _("Village head's phone"),
    ]
    rows = (
        [
            village.code,
            village.name,
            village.get_kind_display(),
            village.district_name,
            _("Yes") if village.red_zone else _("No"),
            village.mentor_name or "",
            _("Yes") if village.has_kim else _("No"),
            village.head_name,
            village.head_phone,
        ]
        for village in village_filter.rows.iterator(chunk_size=2000)
    )
    return registry.Rows(header, rows, total=village_filter.qs.count(), sheet=_("Villages"))


registry.register(
    registry.ExportKind(
        name="villages",
        label=gettext_lazy("Villages"),
        may_export=lambda user: user.has_role,
        read_params=_read,
        describe=_describe,
        filename=_filename,
        rows=_rows,
        list_url="villages:list",
    )
)
