"""On PostgreSQL, trigram indexes make the directory's keyword search (name, credit code, legal
representative contains …) fast at city scale. Elsewhere, or where the pg_trgm extension cannot be
created, nothing happens and search still works, only slower."""

from django.db import migrations, transaction

COLUMNS = ["name", "uscc", "legal_representative"]


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=conn.alias):
            with conn.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # no privilege to create extensions: keep plain search
        return
    with conn.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS directory_enterprise_{column}_trgm '
                f'ON directory_enterprise USING gin ((UPPER("{column}"::text)) gin_trgm_ops)')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(f"DROP INDEX IF EXISTS directory_enterprise_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
