"""Data: give every listed returnee their identity key (normalised family name, given
names and date of birth), and mark imported manifests as analysed.

Lists made before the key existed may hold one person twice on an arrival (two imports at
once): the first listed keeps the key, each later one gets it suffixed with its own id, so
the unique constraint of the next migration holds and nobody is deleted."""

import unicodedata

from django.db import migrations


def _normalise(text):
    import re

    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def fill_keys(apps, schema_editor):
    Passenger = apps.get_model("reception", "Passenger")
    Manifest = apps.get_model("reception", "Manifest")
    seen = set()
    changed = []
    for passenger in Passenger.objects.order_by("arrival_id", "number", "pk").iterator(chunk_size=2000):
        parts = (_normalise(passenger.family_name), _normalise(passenger.given_names), passenger.birth_year,
                 passenger.birth_month, passenger.birth_day)
        key = "|".join("" if p is None else str(p) for p in parts)[:380]
        if (passenger.arrival_id, key) in seen:
            key = f"{key}~{passenger.pk}"
        seen.add((passenger.arrival_id, key))
        passenger.identity_key = key
        changed.append(passenger)
        if len(changed) >= 1000:
            Passenger.objects.bulk_update(changed, ["identity_key"])
            changed = []
    Passenger.objects.bulk_update(changed, ["identity_key"])
    Manifest.objects.filter(status="imported").update(analysis_state="done")


class Migration(migrations.Migration):
    dependencies = [("reception", "0004_manifest_analysis_and_passenger_identity_key")]

    operations = [migrations.RunPython(fill_keys, migrations.RunPython.noop)]
