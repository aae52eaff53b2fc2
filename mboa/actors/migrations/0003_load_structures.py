"""Load the 18 structures of the mechanism with their mandates (mboa/actors/reference)."""

from django.db import migrations

from mboa.actors.reference.structures import STRUCTURES


def load(apps, schema_editor):
    Structure = apps.get_model("actors", "Structure")
    for code, kind, parent, name_fr, name_en, mandate in STRUCTURES:
        Structure.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind, "name_fr": name_fr, "name_en": name_en, "mandate": mandate,
                "parent": Structure.objects.get(code=parent) if parent else None,
            },
        )


def unload(apps, schema_editor):
    Structure = apps.get_model("actors", "Structure")
    codes = [row[0] for row in STRUCTURES]
    Structure.objects.filter(code__in=codes, parent__isnull=False).delete()
    Structure.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("actors", "0002_load_regions_departments")]
    operations = [migrations.RunPython(load, unload)]
