"""Saving the letterhead and the signatories: each save leaves its line on the audit trail."""

from functools import partial

from django.db import transaction

from kim.lib.uploads import delete_stored_files
from kim.office.forms import OfficeForm, SignatoryForm
from kim.office.models import OFFICE_ID, Office, Signatory


@transaction.atomic
def office_save(*, form: OfficeForm) -> Office:
    """The letterhead as the form holds it; a replaced or cleared logo's file is removed after the commit."""
    previous_logo = Office.objects.filter(pk=OFFICE_ID).values_list("logo", flat=True).first()
    office = form.save(commit=False)
    office.pk = OFFICE_ID
    office.is_placeholder = False
    office.save()
    if previous_logo and previous_logo != office.logo.name:
        transaction.on_commit(partial(delete_stored_files, [previous_logo]), robust=True)
    return office


@transaction.atomic
def signatory_save(*, form: SignatoryForm, role: str) -> Signatory:
    signatory = form.save(commit=False)
    signatory.role = role
    signatory.is_placeholder = False
    signatory.save()
    return signatory
