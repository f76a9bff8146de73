"""`{% load documents %}`: what document templates write dates, NIPs and photos with."""

import datetime as dt

from django import template
from django.urls import NoReverseMatch
from django.utils import formats, timezone

from kim.documents.rendering import photo_data_uri
from kim.office.models import nip_display

register = template.Library()


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


@register.filter
def long_date(value) -> str:
    """10 Januari 2019."""
    day = _day(value)
    return formats.date_format(day, "j F Y") if day else ""


@register.filter
def day_date(value) -> str:
    """Kamis, 10 Januari 2019."""
    day = _day(value)
    return formats.date_format(day, "l, j F Y") if day else ""


@register.filter
def clock(value) -> str:
    """09.00 WIB: times in letters are written with a dot."""
    if not isinstance(value, dt.datetime):
        return ""
    return timezone.localtime(value).strftime("%H.%M") + " WIB"


@register.filter
def nip(value: str) -> str:
    """NIP. 19700101 199503 1 001, or the dotted blank to fill by hand."""
    return f"NIP. {nip_display(value)}" if value else "NIP. ……………………"


@register.simple_tag(takes_context=True)
def photo_src(context, photo) -> str:
    """A photo in a document: inside the PDF as data (WeasyPrint fetches nothing), on the screen through the
    photo's own page (which checks who asks)."""
    if context.get("for_pdf"):
        return photo_data_uri(photo)
    try:
        return photo.get_absolute_url()
    except NoReverseMatch:
        return ""
