"""Load COPIL, GTA, GTR and the health and psychosocial working group with their members."""

from django.db import migrations

from mboa.actors.reference.structures import BODIES


def load(apps, schema_editor):
    Body = apps.get_model("governance", "Body")
    BodyMembership = apps.get_model("governance", "BodyMembership")
    Structure = apps.get_model("actors", "Structure")
    for code, kind, name_fr, name_en, mandate, members in BODIES:
        body, _ = Body.objects.update_or_create(
            code=code, defaults={"kind": kind, "name_fr": name_fr, "name_en": name_en, "mandate": mandate}
        )
        for structure_code, role in members:
            BodyMembership.objects.update_or_create(
                body=body, structure=Structure.objects.get(code=structure_code), end_date=None,
                defaults={"role": role},
            )


def unload(apps, schema_editor):
    apps.get_model("governance", "Body").objects.filter(code__in=[b[0] for b in BODIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial"), ("actors", "0003_load_structures")]
    operations = [migrations.RunPython(load, unload)]
