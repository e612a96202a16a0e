"""The ledger's keyword search at city scale (PostgreSQL): every title's characters in pairs (``ys_grams``), in a
GIN index, so a search for 供电 reads the titles that hold that pair instead of every title. Trigram indexes do
not serve Chinese: a keyword is often two characters, and a trigram needs three. SQLite searches as before."""

from django.db import migrations

GRAMS = r"""
CREATE OR REPLACE FUNCTION ys_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}')
  FROM (SELECT substr(lower(t), i, 2) AS g FROM generate_series(1, char_length(t) - 1) AS i) AS pairs
  WHERE g !~ '\s'
$$;
CREATE INDEX IF NOT EXISTS ticket_title_grams ON tickets_ticket USING gin (ys_grams(title));
"""
UNDO = "DROP INDEX IF EXISTS ticket_title_grams; DROP FUNCTION IF EXISTS ys_grams(text);"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GRAMS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNDO)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0013_board_indexes")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
