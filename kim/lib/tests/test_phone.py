"""Phone numbers are read by phonenumbers and stored as E.164; only ASCII digits are taken."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from kim.lib.phone import PhoneFormField, normalise_phone, phone_display, whatsapp_url

EXAMPLES = settings(max_examples=60, deadline=None)


@pytest.mark.parametrize(
    "typed", ["0812 3456 7890", "0812-3456-7890", "(0812) 3456.7890", "62 812 3456 7890", "+6281234567890"]
)
def test_a_mobile_number_is_stored_in_one_form_however_it_is_typed(typed):
    assert normalise_phone(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", ["(0281) 891012", "0281 891012", "+62 281 891012", "62281891012"])
def test_an_office_landline_is_taken_where_an_office_number_is_meant(typed):
    assert normalise_phone(typed, office=True) == "+62281891012"


def test_an_office_number_may_be_a_mobile_one():
    assert normalise_phone("0812 3456 7890", office=True) == "+6281234567890"


def test_a_landline_is_refused_where_whatsapp_is_meant():
    with pytest.raises(ValidationError):
        normalise_phone("0281 891012")


@pytest.mark.parametrize(
    "typed",
    [
        "0812345",  # too short
        "+62812345678901234",  # too long
        "+6581234567",  # Singapore
        "0812 3456 7890 ext 1",
        "08123456789O",  # the letter O
        "+628\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660",  # Arabic-Indic digits
        "\uff10\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10",  # full-width 0812…
        "0812\x003456 7890",
    ],
)
def test_what_is_no_indonesian_number_is_refused(typed):
    with pytest.raises(ValidationError):
        normalise_phone(typed)
    with pytest.raises(ValidationError):
        normalise_phone(typed, office=True)


NON_ASCII_DIGITS = st.characters(categories=["Nd"]).filter(lambda c: not c.isascii())


@EXAMPLES
@given(
    prefix=st.sampled_from(["0812", "+62812", "62812", "0281"]),
    digit=NON_ASCII_DIGITS,
    rest=st.text("0123456789", min_size=5, max_size=8),
)
def test_a_number_with_any_non_ascii_digit_is_refused(prefix, digit, rest):
    with pytest.raises(ValidationError):
        normalise_phone(prefix + digit + rest, office=True)


@EXAMPLES
@given(typed=st.text(max_size=40))
def test_whatever_is_typed_is_refused_or_stored_as_ascii_e164_that_reads_back_the_same(typed):
    for office in (False, True):
        try:
            stored = normalise_phone(typed, office=office)
        except ValidationError:
            continue
        assert stored.startswith("+62") and stored[1:].isascii() and stored[1:].isdigit()
        assert normalise_phone(stored, office=office) == stored


@EXAMPLES
@given(subscriber=st.text("0123456789", min_size=8, max_size=9))
def test_a_valid_mobile_number_gets_a_whatsapp_link_of_ascii_digits(subscriber):
    try:
        stored = normalise_phone("0812" + subscriber)
    except ValidationError:
        return
    assert whatsapp_url(stored) == f"https://wa.me/{stored[1:]}"


def test_no_whatsapp_link_for_a_landline_a_broken_value_or_nothing():
    assert whatsapp_url("+62281891012") == ""
    assert whatsapp_url("+628\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669") == ""
    assert whatsapp_url("") == ""


def test_a_number_stored_before_phonenumbers_keeps_its_link():
    assert whatsapp_url("+6281234567890") == "https://wa.me/6281234567890"


def test_the_form_field_cleans_to_e164_or_to_nothing():
    assert PhoneFormField(required=False).clean("0812 3456 7890") == "+6281234567890"
    assert PhoneFormField(required=False).clean("") == ""
    assert PhoneFormField(required=False, office=True).clean("(0281) 891012") == "+62281891012"


def test_a_stored_number_is_shown_as_people_write_it():
    assert phone_display("+62281891012") == "(0281) 891012"
    assert phone_display("+6281234567890") == "0812-3456-7890"
    assert phone_display("bukan nomor") == "bukan nomor"
