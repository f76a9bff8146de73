"""The KIM register's download, as an export job (kim.downloads): the list's columns, filtered as the list was
when the person asked, within what the person may see when it is built."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kim.downloads import params, registry
from kim.register.selectors import kim_filter, kim_flags


def _read(query, user) -> dict:
    return params.from_form(kim_filter(user, query).form, query)


def _describe(chosen: dict, user) -> str:
    return params.describe_form(kim_filter(user, registry.as_query(chosen)).form)


def _filename(chosen: dict) -> str:
    return f"kim-{timezone.localdate():%Y-%m-%d}"


def _line(kim, today) -> list:
    """One KIM of `kim_filter(...).rows` (with its details), as the list shows it."""
    return [
        kim.name,
        kim.village_name,
        kim.district_name,
        kim.get_status_display(),
        kim.get_origin_display(),
        kim.level_name or "",
        kim.founded_on,
        kim.kimid_number,
        kim.ketua_name or "",
        kim.ketua_phone or "",
        kim.member_count,
        kim.last_visit_on,
        "; ".join(kim_flags(kim, today)),
    ]


def _rows(user, chosen: dict) -> registry.Rows:
    found = kim_filter(user, registry.as_query(chosen))
    header = [
        _("Name"),
        _("Village"),
        _("Kecamatan"),
        _("Status"),
        _("Origin"),
        _("Development level"),
        _("Founding date"),
        _("KIM.id number"),
        _("Ketua"),
        _("Ketua's phone"),
        _("Current members"),
        _("Last visit"),
        _("Flags"),
    ]
    today = timezone.localdate()
    rows = (_line(kim, today) for kim in found.rows.iterator(chunk_size=2000))
    return registry.Rows(header, rows, total=found.ordered.count(), sheet=_("KIMs"))


registry.register(
    registry.ExportKind(
        name="kims",
        label=gettext_lazy("KIMs"),
        may_export=lambda user: user.has_role,
        read_params=_read,
        describe=_describe,
        filename=_filename,
        rows=_rows,
        list_url="register:list",
    )
)
