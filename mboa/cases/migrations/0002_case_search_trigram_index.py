"""On PostgreSQL, a trigram index makes the case list's name search (LIKE '%…%' on
``search_text``) fast at a million cases. Other databases (SQLite in tests) skip it."""

from django.db import migrations


def forwards(apps, schema_editor):
    # reload_reference_data() replays RunPython code without a schema editor: nothing to do then.
    if schema_editor is None or schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS case_search_trgm_idx ON cases_case USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_cases_counsellors_consent_assessments_niches_trainings")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
