"""Members' and accounts' phone numbers stored before phonenumbers read them: the old pattern's `\\d` let
Arabic-Indic, full-width and other digits through, and free text was never refused on rows saved outside a
form. Each valid Indonesian number is stored again in E.164 with ASCII digits; anything else is left as it was,
as villages 0003 and outreach 0007 do (shown as typed, with no WhatsApp link, and refused by the form at its
next edit): blanking it would lose, with no way back, the only number some members have."""

import phonenumbers
from django.db import migrations

FIELDS = [("Member", "phone"), ("User", "phone")]


def canonical(value: str) -> str:
    text = value.strip()
    if text.startswith("62"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return value
    if phonenumbers.region_code_for_number(number) != "ID" or not phonenumbers.is_valid_number(number):
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def store_canonical_phones(apps, schema_editor):
    for model_name, field in FIELDS:
        model = apps.get_model("kim", model_name)
        for pk, value in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
            if canonical(value) != value:
                model.objects.filter(pk=pk).update(**{field: canonical(value)})


class Migration(migrations.Migration):
    dependencies = [("kim", "0012_admin_access_follows_role")]

    operations = [migrations.RunPython(store_canonical_phones, migrations.RunPython.noop)]
