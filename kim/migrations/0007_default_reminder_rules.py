from django.db import migrations

# The reminders the programme starts with; staff edit them under Pengingat. Names are data, in Indonesian.
DEFAULT_RULES = [
    ("session_start", "H-3 sebelum sesi", -3, None, ["officers", "resource_persons", "ketua", "village_head"]),
    ("session_start", "H-1 sebelum sesi", -1, None, ["officers", "resource_persons", "ketua", "village_head"]),
    (
        "session_changed",
        "Pemberitahuan sesi dijadwal ulang atau dibatalkan",
        0,
        None,
        ["officers", "resource_persons", "ketua", "village_head"],
    ),
    ("report_owed", "Laporan sesi belum dicatat", 1, 3, ["officers"]),
    ("follow_up_due", "Tindak lanjut mendekati batas waktu", -2, None, ["owner", "officers"]),
    ("follow_up_due", "Tindak lanjut terlambat", 1, 3, ["owner", "officers"]),
    ("confirmation_awaited", "Kelompok menunggu konfirmasi Kepala Desa", 2, 7, ["village_head"]),
    ("formation_stalled", "Langkah pembentukan KIM tidak bergerak", 30, 30, ["mentors"]),
    ("visit_due", "KIM belum dikunjungi sesuai jadwal pendampingan", 0, 30, ["mentors"]),
    ("term_ending", "Masa jabatan pengurus KIM berakhir", -30, None, ["mentors", "village_head"]),
    ("weekly_digest", "Ringkasan mingguan untuk staf", 0, None, ["staff"]),
]


def create_rules(apps, schema_editor):
    ReminderRule = apps.get_model("kim", "ReminderRule")
    if ReminderRule.objects.exists():
        return
    ReminderRule.objects.bulk_create(
        ReminderRule(trigger=t, name=name, offset_days=offset, repeat_every_days=every, audience=audience)
        for t, name, offset, every, audience in DEFAULT_RULES
    )


class Migration(migrations.Migration):
    dependencies = [("kim", "0006_reminders")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
