"""A trigram index for the village search on PostgreSQL.

The search is a case-insensitive substring match (icontains), which Django writes as
UPPER(name::text) LIKE UPPER('%…%'); a B-tree cannot serve a leading wildcard, so nationally every search
read all 83,762 villages. SQLite has no such index; the migration does nothing there.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS villages_village_name_trgm ON villages_village USING gin (UPPER(name::text) gin_trgm_ops);
"""
DROP = "DROP INDEX IF EXISTS villages_village_name_trgm;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("villages", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
