"""Load the 10 regions and 58 departments of Cameroon (decree 2008/376) from the CSV shipped
with the app (mboa/actors/data/cameroon_regions_departments.csv)."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "cameroon_regions_departments.csv"


def load(apps, schema_editor):
    Region = apps.get_model("actors", "Region")
    Department = apps.get_model("actors", "Department")
    with CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            region, _ = Region.objects.update_or_create(
                code=row["region_code"], defaults={"name": row["region"], "capital": row["region_capital"]}
            )
            Department.objects.update_or_create(
                code=row["department_code"],
                defaults={"region": region, "name": row["department"], "capital": row["department_capital"]},
            )


def unload(apps, schema_editor):
    apps.get_model("actors", "Department").objects.all().delete()
    apps.get_model("actors", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
