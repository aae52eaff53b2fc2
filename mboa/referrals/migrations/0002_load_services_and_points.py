"""Load the service catalogue and the structures' service points (mboa/referrals/reference.py)."""

from django.db import migrations

from mboa.referrals.reference import SERVICE_POINTS, SERVICES


def load(apps, schema_editor):
    Service = apps.get_model("referrals", "Service")
    ServicePoint = apps.get_model("referrals", "ServicePoint")
    Structure = apps.get_model("actors", "Structure")
    Region = apps.get_model("actors", "Region")
    for code, name_fr, name_en, order in SERVICES:
        Service.objects.update_or_create(code=code, defaults={"name_fr": name_fr, "name_en": name_en, "order": order})
    for code, structure, name, kind, town, region, services in SERVICE_POINTS:
        point, _ = ServicePoint.objects.update_or_create(
            code=code,
            defaults={"structure": Structure.objects.get(code=structure), "name": name, "kind": kind, "town": town,
                      "region": Region.objects.get(code=region)},
        )
        point.services.set(Service.objects.filter(code__in=services))


def unload(apps, schema_editor):
    apps.get_model("referrals", "ServicePoint").objects.filter(code__in=[p[0] for p in SERVICE_POINTS]).delete()
    apps.get_model("referrals", "Service").objects.filter(code__in=[s[0] for s in SERVICES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_services_points_agreements"),
        ("actors", "0003_load_structures"),
    ]
    operations = [migrations.RunPython(load, unload)]
