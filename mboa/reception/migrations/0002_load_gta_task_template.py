"""Reference data: the GTA task template of DOMAIN.md section 3 (editable by administrators)."""

from django.db import migrations

# (order, code, French, English, responsible structures, due in hours from arrival, charters only)
TASKS = [
    (10, "landing_permit", "Autorisation d'atterrissage du charter (Présidence / aviation civile)",
     "Landing permit for the charter (Presidency / civil aviation authority)", ["MINREX"], -72, True),
    (20, "airport_access", "Accès à la zone internationale de l'aéroport, délais raccourcis",
     "Access to the airport's international zone, shortened delays", ["MINREX", "DGSN"], -24, False),
    (30, "police_formalities", "Formalités de police : audition, identification, vérification de la nationalité",
     "Police formalities: hearing, identification, nationality verification", ["DGSN"], 2, False),
    (40, "registration", "Enregistrement de chaque retourné", "Registration of each returnee",
     ["MINJEC", "OIM"], 3, False),
    (50, "medical_screening", "Premier dépistage médical, vaccinations si besoin",
     "First medical screening, vaccinations if needed", ["MINSANTE"], 3, False),
    (60, "pocket_money", "Argent de poche aux retournés éligibles (charters)",
     "Pocket money to eligible returnees (charters)", ["OIM"], 5, True),
    (70, "first_interview", "Premier entretien général et conseil psychosocial, pour tous",
     "First general interview and psychosocial counselling, for everyone", ["MINAS", "OIM"], 5, False),
    (80, "reintegration_information", "Information sur le processus de réintégration socio-économique",
     "Information on the socio-economic reintegration process", ["MINJEC", "OIM"], 5, False),
    (90, "meal_basic_items", "Repas, eau, articles de première nécessité", "Meal, water, basic items",
     ["MINAT", "OIM"], 1, False),
    (100, "police_escort", "Escorte policière du convoi aéroport → hôtel", "Police escort of the convoy airport → hotel",
     ["MINREX", "DGSN"], 6, False),
    (110, "accommodation_travel", "Hébergement de transit, puis voyage vers la destination finale",
     "Transit accommodation, then onward travel to the final destination", ["OIM"], 24, False),
]


def load(apps, schema_editor):
    Template = apps.get_model("reception", "TaskTemplate")
    Item = apps.get_model("reception", "TaskTemplateItem")
    Structure = apps.get_model("actors", "Structure")
    template, _created = Template.objects.get_or_create(name="GTA", defaults={"is_active": True})
    for order, code, title_fr, title_en, structures, hours, charter_only in TASKS:
        item, created = Item.objects.get_or_create(template=template, code=code, defaults={
            "order": order, "title_fr": title_fr, "title_en": title_en, "due_offset_hours": hours,
            "charter_only": charter_only})
        if created:
            item.responsible.set(Structure.objects.filter(code__in=structures))


def unload(apps, schema_editor):
    apps.get_model("reception", "TaskTemplate").objects.filter(name="GTA").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reception", "0001_arrivals_manifests_tasks_steps"),
        ("actors", "0003_load_structures"),
    ]

    operations = [migrations.RunPython(load, unload)]
