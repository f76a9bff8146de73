"""Django admin's is_staff and is_superuser are no longer stored: User reads both from the role.

Going back puts the columns back and fills them from the role, so that staff administrators keep Django admin.
"""

from django.db import migrations


def flags_from_role(apps, schema_editor):
    User = apps.get_model("kim", "User")
    User.objects.filter(role="staff_admin").update(is_staff=True, is_superuser=True)


class Migration(migrations.Migration):
    dependencies = [("kim", "0011_dates_in_range")]

    operations = [
        # Runs last when migrating backwards, once the columns are back.
        migrations.RunPython(migrations.RunPython.noop, flags_from_role),
        migrations.RemoveField(model_name="user", name="is_staff"),
        migrations.RemoveField(model_name="user", name="is_superuser"),
    ]
