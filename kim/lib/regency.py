"""The regency this deployment serves, by name (settings KIM_REGENCY_NAME, "Kabupaten Purbalingga"): every
page, email, document and calendar feed reads it here, so that another regency runs the app under its own
name by setting it. Data (the demo, area codes) is another matter: it stays where it was recorded."""

from django.conf import settings
from django.utils.translation import gettext


def regency_name() -> str:
    """ "Kabupaten Purbalingga": for the office's lines ("Dinas Komunikasi dan Informatika, ...")."""
    return settings.KIM_REGENCY_NAME


def regency_short_name() -> str:
    """ "Purbalingga": KIM_REGENCY_SHORT_NAME if set, else the name without "Kabupaten " or "Kota "."""
    return settings.KIM_REGENCY_SHORT_NAME or short_form(settings.KIM_REGENCY_NAME)


def short_form(name: str) -> str:
    for prefix in ("Kabupaten ", "Kota "):
        name = name.removeprefix(prefix)
    return name


def app_title() -> str:
    """ "KIM Purbalingga": the app's name, in the navbar, page titles and emails."""
    return gettext("KIM %(regency)s") % {"regency": regency_short_name()}


def office_title() -> str:
    """ "Dinas Komunikasi dan Informatika, Kabupaten Purbalingga": the footer's line."""
    return gettext("Dinas Komunikasi dan Informatika, %(regency)s") % {"regency": regency_name()}
