from django.db import migrations

ROLES = {
    "admin": "Manages accounts, structures and reference data.",
    "case_manager": "IOM case manager: registers returnees and manages their cases.",
    "insertion_counsellor": "MINJEC/PARIJEDI insertion counsellor: orientation and business projects.",
    "psychosocial_counsellor": "MINAS psychosocial counsellor: psychosocial support and notes.",
    "focal_point": "A structure's focal point: acts on what is addressed to the structure.",
    "secretariat": "Secretariat of the bodies (COPIL, GTA, GTR): meetings, decisions, commitments.",
    "donor": "Donor: reads reports, changes nothing.",
    "statistician": "Statistician: anonymised statistics only.",
}


def load(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, description in ROLES.items():
        Role.objects.update_or_create(code=code, defaults={"description": description})


def unload(apps, schema_editor):
    apps.get_model("accounts", "Role").objects.filter(code__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_structure_roles")]
    operations = [migrations.RunPython(load, unload)]
