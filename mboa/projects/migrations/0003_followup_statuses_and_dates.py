"""Data migration for follow-up visits: today's project statuses mapped to the new ones,
the installation date of installed projects, and the visits already recorded marked done.

Statuses: ``operating`` → ``running``; ``difficulty`` → ``struggling``; ``stopped`` stays.
A visit that said ``installed`` (the project had just started) → ``running``; a dossier
not visited yet keeps ``installed``.

Installation date: the day its last purchase was received, else the day it was approved,
else the day it was last changed. Each visit recorded before keeps its date and counts
at the whole months elapsed since installation (rounded); it gets the dossier's current
(approved) version and its counsellor as the one who made it.
"""

from django.db import migrations
from django.db.models import Max

VISIT_STATUS = {"operating": "running", "difficulty": "struggling", "installed": "running"}
DOSSIER_STATUS = {"operating": "running", "difficulty": "struggling"}
DAYS_PER_MONTH = 30.4375


def forwards(apps, schema_editor):
    Dossier = apps.get_model("projects", "Dossier")
    Visit = apps.get_model("projects", "FollowUpVisit")
    for old, new in DOSSIER_STATUS.items():
        Dossier.objects.filter(operating_status=old).update(operating_status=new)
    for old, new in VISIT_STATUS.items():
        Visit.objects.filter(status=old).update(status=new)
    installed = (Dossier.objects.filter(status="installed", installed_on__isnull=True)
                 .annotate(last_receipt=Max("purchases__received_on")))
    changed = []
    for dossier in installed.iterator(chunk_size=1000):
        moment = dossier.approved_at or dossier.updated_at
        dossier.installed_on = dossier.last_receipt or (moment.date() if moment else None)
        changed.append(dossier)
        if len(changed) >= 1000:
            Dossier.objects.bulk_update(changed, ["installed_on"])
            changed = []
    Dossier.objects.bulk_update(changed, ["installed_on"])
    visits = Visit.objects.filter(visited_on__isnull=False).select_related("dossier")
    changed = []
    for visit in visits.iterator(chunk_size=1000):
        visit.state = "done"
        dossier = visit.dossier
        if dossier is not None:
            visit.version_id = dossier.current_version_id
            visit.assignee_id = dossier.counsellor_id
            if dossier.installed_on:
                days = (visit.visited_on - dossier.installed_on).days
                visit.months_after = max(0, round(days / DAYS_PER_MONTH))
        changed.append(visit)
        if len(changed) >= 1000:
            Visit.objects.bulk_update(changed, ["state", "version", "assignee", "months_after"])
            changed = []
    Visit.objects.bulk_update(changed, ["state", "version", "assignee", "months_after"])


def backwards(apps, schema_editor):
    Dossier = apps.get_model("projects", "Dossier")
    Visit = apps.get_model("projects", "FollowUpVisit")
    Visit.objects.exclude(state="done").delete()
    for old, new in {"running": "operating", "struggling": "difficulty", "sold": "stopped"}.items():
        Dossier.objects.filter(operating_status=new).update(operating_status=old)
        Visit.objects.filter(status=new).update(status=old)


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_followup_plans_and_outcomes")]

    operations = [migrations.RunPython(forwards, backwards)]
