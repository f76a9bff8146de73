"""`{% load regency %}`: the regency's names for templates, read from settings (kim.lib.regency).

Tags rather than context variables, so that the pages rendered without context processors (the 500 page)
and the emails rendered outside a request name the regency the same way."""

from django import template

from kim.lib import regency

register = template.Library()


@register.simple_tag
def app_title() -> str:
    """ "KIM Purbalingga"."""
    return regency.app_title()


@register.simple_tag
def office_title() -> str:
    """ "Dinas Komunikasi dan Informatika, Kabupaten Purbalingga"."""
    return regency.office_title()


@register.simple_tag
def regency_name() -> str:
    """ "Kabupaten Purbalingga"."""
    return regency.regency_name()


@register.simple_tag
def regency_short_name() -> str:
    """ "Purbalingga"."""
    return regency.regency_short_name()
