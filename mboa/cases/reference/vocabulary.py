"""Reference vocabulary of the niche map: sectors and value chains (filières), and the
first version of each assessment form. Loaded by data migrations (idempotent loaders),
shared with the projects app (which points at ``cases.Sector`` / ``cases.Filiere``)."""

from django.utils import translation

from mboa.core.vocabulary import vulnerability_choices

# code, French name, English name
SECTORS = [
    ("agriculture", "Agriculture", "Agriculture"),
    ("elevage", "Élevage et pêche", "Livestock and fisheries"),
    ("agro_transformation", "Transformation agroalimentaire", "Agri-food processing"),
    ("commerce", "Commerce", "Trade"),
    ("artisanat", "Artisanat et métiers", "Crafts and trades"),
    ("services", "Services", "Services"),
    ("transport", "Transport", "Transport"),
    ("numerique", "Numérique", "Digital"),
]

# code, sector, French name, English name, keywords (found in experience → this filière)
FILIERES = [
    ("mais", "agriculture", "Maïs", "Maize", "maize,maïs,corn,farm,ferme,champ"),
    ("manioc", "agriculture", "Manioc", "Cassava", "cassava,manioc,farm,champ"),
    ("plantain", "agriculture", "Banane plantain", "Plantain", "plantain,banana,banane"),
    ("cacao", "agriculture", "Cacao", "Cocoa", "cocoa,cacao"),
    ("cafe", "agriculture", "Café", "Coffee", "coffee,café,cafe"),
    ("maraichage", "agriculture", "Maraîchage", "Market gardening", "vegetable,légume,tomato,tomate,greenhouse,serre,garden"),
    ("palmier", "agriculture", "Palmier à huile", "Oil palm", "palm,palmier"),
    ("ananas", "agriculture", "Ananas", "Pineapple", "pineapple,ananas"),
    ("aviculture", "elevage", "Aviculture (poulets, œufs)", "Poultry (broilers, eggs)", "poultry,chicken,poulet,volaille,egg,œuf"),
    ("porciculture", "elevage", "Porciculture", "Pig farming", "pig,porc"),
    ("petits_ruminants", "elevage", "Petits ruminants", "Goats and sheep", "goat,sheep,chèvre,mouton"),
    ("pisciculture", "elevage", "Pisciculture", "Fish farming", "fish,poisson,tilapia,catfish,silure"),
    ("apiculture", "elevage", "Apiculture", "Beekeeping", "bee,honey,abeille,miel"),
    ("transfo_manioc", "agro_transformation", "Transformation du manioc", "Cassava processing", "gari,bâton,cassava flour"),
    ("huile_palme", "agro_transformation", "Huile de palme artisanale", "Artisanal palm oil", "palm oil,huile"),
    ("boulangerie", "agro_transformation", "Boulangerie-pâtisserie", "Bakery", "bakery,baker,boulanger,pâtisserie,bread,pain"),
    ("jus", "agro_transformation", "Jus et boissons locales", "Juices and local drinks", "juice,jus,drink"),
    ("boutique", "commerce", "Boutique de quartier", "Neighbourhood shop", "shop,boutique,store,sales,vente"),
    ("vivres", "commerce", "Commerce de vivres", "Food trade", "food trade,vivres,market,marché"),
    ("telephonie", "commerce", "Téléphonie et crédit", "Phones and airtime", "phone,téléphone,airtime,crédit"),
    ("couture", "artisanat", "Couture", "Tailoring", "tailor,sewing,couture,couturier,textile"),
    ("coiffure", "artisanat", "Coiffure et esthétique", "Hairdressing and beauty", "hair,coiffure,salon,beauty,barber"),
    ("soudure", "artisanat", "Soudure et métallerie", "Welding and metalwork", "weld,soudure,metal,métal"),
    ("menuiserie", "artisanat", "Menuiserie", "Carpentry", "carpenter,wood,menuisier,bois,furniture,meuble"),
    ("mecanique", "artisanat", "Mécanique auto et moto", "Car and motorbike mechanics", "mechanic,mécanicien,garage,engine,moteur"),
    ("batiment", "artisanat", "Bâtiment (maçonnerie, électricité, plomberie)", "Building (masonry, wiring, plumbing)",
     "construction,building,mason,maçon,electric,électricien,plumb,plombier,chantier"),
    ("restauration", "services", "Restauration", "Catering", "restaurant,cook,cuisine,cuisinier,kitchen,catering"),
    ("blanchisserie", "services", "Blanchisserie-pressing", "Laundry", "laundry,pressing"),
    ("moto_taxi", "transport", "Moto-taxi et livraison", "Motorbike taxi and delivery", "driver,chauffeur,moto,delivery,livraison,taxi"),
    ("cyber", "numerique", "Cybercafé, impression, bureautique", "Internet café, printing, office services",
     "computer,ordinateur,printing,impression,internet"),
    ("reparation_tel", "numerique", "Réparation de téléphones", "Phone repair", "phone repair,réparation,electronics,électronique"),
]

_EDUCATION = [["none", "None"], ["primary", "Primary"], ["secondary", "Secondary"],
              ["vocational", "Vocational training"], ["higher", "Higher education"]]
_LANGUAGES = [["fr", "French"], ["en", "English"], ["pidgin", "Pidgin"], ["ar", "Arabic"], ["fulfulde", "Fulfulde"],
              ["other", "Other"]]
# The vulnerability form's choices: the one vocabulary (mboa.core.vocabulary), its English
# labels stored as the form's other labels are (pages show the vocabulary's translated labels).
with translation.override(None):
    _VULNERABILITIES = [[code, str(label)] for code, label in vulnerability_choices()]
_NEEDS = [["housing", "Housing"], ["food", "Food"], ["health", "Health care"], ["psychosocial", "Psychosocial support"],
          ["documents", "Civil documents"], ["employment", "Employment or income"], ["training", "Training"],
          ["legal", "Legal support"], ["family", "Family reunification"]]

FORMS = [
    ("needs", "Needs assessment", [
        {"key": "housing", "label": "Housing", "type": "choice", "required": True,
         "choices": [["stable", "Stable"], ["temporary", "Temporary (family, friends)"], ["none", "None"]]},
        {"key": "priority_needs", "label": "Priority needs", "type": "multi", "required": True, "choices": _NEEDS},
        {"key": "family_support", "label": "Family supports the return", "type": "bool", "required": False},
        {"key": "income", "label": "Current income source", "type": "text", "required": False},
        {"key": "notes", "label": "Notes", "type": "text", "required": False},
    ]),
    ("vulnerability", "Vulnerability assessment", [
        {"key": "categories", "label": "Vulnerability categories", "type": "multi", "required": False,
         "choices": _VULNERABILITIES},
        {"key": "urgent", "label": "Needs urgent referral", "type": "bool", "required": False},
        {"key": "details", "label": "Details", "type": "text", "required": False},
    ]),
    ("skills", "Skills assessment", [
        {"key": "education", "label": "Education", "type": "choice", "required": True, "choices": _EDUCATION},
        {"key": "trades", "label": "Trades practised", "type": "filieres", "required": False},
        {"key": "interests", "label": "Value chains of interest", "type": "filieres", "required": False},
        {"key": "languages", "label": "Languages", "type": "multi", "required": False, "choices": _LANGUAGES},
        {"key": "experience_abroad", "label": "Experience abroad (work, trades)", "type": "text", "required": False},
        {"key": "years_experience", "label": "Years of work experience", "type": "number", "required": False},
    ]),
]


def load(apps) -> None:
    """Idempotent loader (data migrations and reload_reference_data)."""
    Sector = apps.get_model("cases", "Sector")
    Filiere = apps.get_model("cases", "Filiere")
    FormSchema = apps.get_model("cases", "FormSchema")
    for code, fr, en in SECTORS:
        Sector.objects.update_or_create(code=code, defaults={"name_fr": fr, "name_en": en})
    for code, sector, fr, en, keywords in FILIERES:
        Filiere.objects.update_or_create(code=code, defaults={"sector_id": sector, "name_fr": fr, "name_en": en,
                                                              "keywords": keywords})
    for kind, title, questions in FORMS:
        if not FormSchema.objects.filter(kind=kind).exists():
            FormSchema.objects.create(kind=kind, version=1, title=title, questions=questions, is_current=True)
