"""Blocking keys: the birth-date key now pairs the full date with each name token (it was
the date with the sex). Rebuild every active person's keys from the stored profiles."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from mboa.registry.services import keys_rebuild_all

    keys_rebuild_all(person_model=apps.get_model("registry", "Person"),
                     key_model=apps.get_model("registry", "MatchKey"))


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0002_matchkey_covering_index"),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
