"""Reference data: sectors and value chains (filières) of the niche map, and version 1 of
the needs, vulnerability and skills assessment forms."""

from django.db import migrations


def forwards(apps, schema_editor):
    from mboa.cases.reference.vocabulary import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_search_trigram_index")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
