"""Phone numbers stored before phonenumbers read them: the old pattern's `\\d` let Arabic-Indic, full-width and
other digits through, and the wa.me link built from them was broken. Each valid Indonesian number is stored
again in E.164 with ASCII digits; anything else is left as it was (shown as typed, with no WhatsApp link)."""

import phonenumbers
from django.db import migrations

FIELDS = [("Village", "head_phone"), ("CommunityGroup", "contact_phone")]


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
        model = apps.get_model("villages", model_name)
        rows = model.objects.exclude(**{field: ""}).values_list("pk", field)
        for pk, value in rows.iterator():
            if canonical(value) != value:
                model.objects.filter(pk=pk).update(**{field: canonical(value)})


class Migration(migrations.Migration):
    dependencies = [("villages", "0002_village_name_trigram_index")]

    operations = [migrations.RunPython(store_canonical_phones, migrations.RunPython.noop)]
