"""Numbers stored with non-ASCII digits before phonenumbers checked them are stored again in ASCII E.164."""

import importlib

import pytest
from django.apps import apps

from villages.models import Village

pytestmark = pytest.mark.django_db
migration = importlib.import_module("villages.migrations.0003_phones_in_ascii_digits")


def test_a_head_phone_stored_with_arabic_indic_digits_is_stored_again_in_ascii(village):
    Village.objects.filter(pk=village.pk).update(
        head_phone="+62812\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660"
    )
    migration.store_canonical_phones(apps, None)
    village.refresh_from_db()
    assert village.head_phone == "+6281234567890"
    assert village.head_whatsapp_url == f"https://wa.me/{village.head_phone[1:]}"


@pytest.mark.parametrize("stored", ["+6281234567890", "bukan nomor", "+6200000000000"])
def test_a_number_already_canonical_or_beyond_reading_is_left_as_it_was(village, stored):
    Village.objects.filter(pk=village.pk).update(head_phone=stored)
    migration.store_canonical_phones(apps, None)
    village.refresh_from_db()
    assert village.head_phone == stored
