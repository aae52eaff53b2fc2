"""Reference data: the categories of feedback. Loaded by the migration (update_or_create on
the codes, so replaying it changes nothing); administrators change them afterwards."""

# (code, name_fr, name_en, against_staff, order)
CATEGORIES = [
    ("assistance_delay", "Retard de l’assistance", "Assistance delay", False, 10),
    ("quality", "Qualité de l’assistance", "Quality of assistance", False, 20),
    ("information", "Information et démarches", "Information and procedures", False, 30),
    ("staff_conduct", "Comportement du personnel", "Staff conduct", True, 40),
    ("data_privacy", "Données personnelles et vie privée", "Personal data and privacy", False, 50),
    ("other", "Autre", "Other", False, 90),
]
# Where an SMS that is not a satisfaction answer is filed until someone reads it.
SMS_CATEGORY = "other"


def load_categories(apps, schema_editor=None) -> None:
    Category = apps.get_model("monitoring", "FeedbackCategory")
    for code, name_fr, name_en, against_staff, order in CATEGORIES:
        Category.objects.update_or_create(code=code, defaults={
            "name_fr": name_fr, "name_en": name_en, "against_staff": against_staff, "order": order})
