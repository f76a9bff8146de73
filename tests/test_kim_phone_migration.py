"""Members' and accounts' numbers stored with non-ASCII digits before phonenumbers checked them are stored again
in ASCII E.164 (kim 0013); free text and numbers beyond reading are left as typed, and nothing raises."""

import importlib

import pytest
from django.apps import apps

from kim.accounts.models import User
from kim.register.models import Member

pytestmark = pytest.mark.django_db
migration = importlib.import_module("kim.migrations.0013_member_and_account_phones_in_ascii_digits")

ARABIC_INDIC = "+62812\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660"
FULL_WIDTH = "\uff10\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10"


@pytest.fixture
def ketua(kim_with_ketua):
    return Member.objects.get(kim=kim_with_ketua)


@pytest.mark.parametrize("stored", [ARABIC_INDIC, FULL_WIDTH, " 6281234567890 "])
def test_a_members_and_an_accounts_number_in_other_digits_are_stored_again_in_ascii(ketua, head, stored):
    Member.objects.filter(pk=ketua.pk).update(phone=stored)
    User.objects.filter(pk=head.pk).update(phone=stored)

    migration.store_canonical_phones(apps, None)

    ketua.refresh_from_db()
    head.refresh_from_db()
    assert ketua.phone == head.phone == "+6281234567890"
    assert ketua.whatsapp_url == "https://wa.me/6281234567890"


@pytest.mark.parametrize("stored", ["+6281234567890", "", "tidak ada", "0812-xxxx", "+6200000000000", "+"])
def test_a_number_already_canonical_blank_or_beyond_reading_is_left_as_it_was(ketua, head, stored):
    Member.objects.filter(pk=ketua.pk).update(phone=stored)
    User.objects.filter(pk=head.pk).update(phone=stored)

    migration.store_canonical_phones(apps, None)

    ketua.refresh_from_db()
    head.refresh_from_db()
    assert ketua.phone == head.phone == stored
