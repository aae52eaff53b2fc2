"""Data: the vulnerabilities flagged at arrival move to the shared vocabulary's codes
(``mboa.core.vocabulary``): ``serious_medical`` → ``medical``, ``trafficking`` →
``trafficking_victim``, ``violence`` → ``gbv_survivor``; the others were the same already.

Backwards, the three codes go back to reception's former codes (codes that reception's
list did not have stay as they are)."""

from django.db import migrations

from mboa.core.vocabulary import FORMER_CODES, Vulnerability

BATCH = 2000


def _convert(apps, mapping: dict[str, str], order: list[str]) -> int:
    Passenger = apps.get_model("reception", "Passenger")
    rank = {code: i for i, code in enumerate(order)}
    changed = []
    for passenger in Passenger.objects.exclude(vulnerabilities=[]).only("pk", "vulnerabilities").iterator(BATCH):
        codes = list(dict.fromkeys(mapping.get(code, code) for code in passenger.vulnerabilities or []))
        codes.sort(key=lambda code: rank.get(code, len(rank)))
        if codes != passenger.vulnerabilities:
            passenger.vulnerabilities = codes
            changed.append(passenger)
    Passenger.objects.bulk_update(changed, ["vulnerabilities"], batch_size=BATCH)
    return len(changed)


def to_shared_codes(apps, schema_editor) -> None:
    _convert(apps, FORMER_CODES, list(Vulnerability.values))


def to_former_codes(apps, schema_editor) -> None:
    former = {current: old for old, current in FORMER_CODES.items()}
    _convert(apps, former, [former.get(code, code) for code in Vulnerability.values])


class Migration(migrations.Migration):
    dependencies = [("reception", "0002_load_gta_task_template")]

    operations = [migrations.RunPython(to_shared_codes, to_former_codes, elidable=True)]
