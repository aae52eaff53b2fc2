"""Reference data: the service catalogue and the service points of the structures.

Loaded by migration 0002 (update_or_create on the codes, so replaying it changes
nothing); administrators change it afterwards in the admin or through the API.
"""

# (code, name_fr, name_en, order)
SERVICES = [
    ("medical_care", "Soins médicaux", "Medical care", 10),
    ("psychosocial_support", "Soutien psychosocial", "Psychosocial support", 20),
    ("socio_economic_orientation", "Orientation socio-économique", "Socio-economic orientation", 30),
    ("vocational_training", "Formation professionnelle", "Vocational training", 40),
    ("enterprise_formalisation", "Formalisation d’entreprise (AGR)", "Enterprise formalisation (IGA)", 50),
    ("agricultural_support", "Appui agricole", "Agricultural support", 60),
    ("pastoral_support", "Appui pastoral (élevage, pêche)", "Pastoral support (livestock, fisheries)", 70),
    ("legal_aid", "Aide juridique", "Legal aid", 80),
    ("gender_child_protection", "Protection du genre et de l’enfant", "Gender and child protection", 90),
]

# (code, structure code, name, kind, town, region code, [service codes])
SERVICE_POINTS = [
    ("minsante-hgy", "MINSANTE", "Hôpital Général de Yaoundé", "hospital", "Yaoundé", "CE", ["medical_care"]),
    ("minsante-hcy", "MINSANTE", "Hôpital Central de Yaoundé", "hospital", "Yaoundé", "CE", ["medical_care"]),
    ("minsante-hld", "MINSANTE", "Hôpital Laquintinie de Douala", "hospital", "Douala", "LT", ["medical_care"]),
    ("minsante-hgd", "MINSANTE", "Hôpital Général de Douala", "hospital", "Douala", "LT", ["medical_care"]),
    ("minas-dr-ce", "MINAS", "Délégation régionale des Affaires sociales du Centre", "delegation", "Yaoundé", "CE",
     ["psychosocial_support", "gender_child_protection"]),
    ("minas-dr-lt", "MINAS", "Délégation régionale des Affaires sociales du Littoral", "delegation", "Douala", "LT",
     ["psychosocial_support", "gender_child_protection"]),
    ("minas-cnrph", "MINAS", "Centre national de réhabilitation des personnes handicapées", "social_centre",
     "Yaoundé", "CE", ["psychosocial_support"]),
    ("minproff-dr-ce", "MINPROFF", "Délégation régionale de la Promotion de la femme et de la famille du Centre",
     "delegation", "Yaoundé", "CE", ["gender_child_protection", "psychosocial_support"]),
    ("minproff-cpff-douala", "MINPROFF", "Centre de promotion de la femme et de la famille de Douala",
     "social_centre", "Douala", "LT", ["gender_child_protection"]),
    ("minjec-dr-ce", "MINJEC", "Délégation régionale de la Jeunesse et de l’Éducation civique du Centre",
     "delegation", "Yaoundé", "CE", ["socio_economic_orientation"]),
    ("minjec-cmpj-douala", "MINJEC", "Centre multifonctionnel de promotion des jeunes de Douala", "social_centre",
     "Douala", "LT", ["socio_economic_orientation"]),
    ("parijedi-yaounde", "PARIJEDI", "Bureau PARIJEDI de Yaoundé", "office", "Yaoundé", "CE",
     ["socio_economic_orientation"]),
    ("minefop-dr-ce", "MINEFOP", "Délégation régionale de l’Emploi et de la Formation professionnelle du Centre",
     "delegation", "Yaoundé", "CE", ["vocational_training"]),
    ("minefop-cfpe-douala", "MINEFOP", "Centre de formation professionnelle d’excellence de Douala",
     "training_centre", "Douala", "LT", ["vocational_training"]),
    ("minpmeesa-cfce-yaounde", "MINPMEESA", "Centre de formalités de création d’entreprises de Yaoundé", "office",
     "Yaoundé", "CE", ["enterprise_formalisation"]),
    ("minpmeesa-cfce-douala", "MINPMEESA", "Centre de formalités de création d’entreprises de Douala", "office",
     "Douala", "LT", ["enterprise_formalisation"]),
    ("minader-dr-ce", "MINADER", "Délégation régionale de l’Agriculture du Centre", "delegation", "Yaoundé", "CE",
     ["agricultural_support"]),
    ("minader-dr-ou", "MINADER", "Délégation régionale de l’Agriculture de l’Ouest", "delegation", "Bafoussam", "OU",
     ["agricultural_support"]),
    ("minepia-dr-ce", "MINEPIA", "Délégation régionale de l’Élevage et des Pêches du Centre", "delegation", "Yaoundé",
     "CE", ["pastoral_support"]),
    ("minepia-dr-ad", "MINEPIA", "Délégation régionale de l’Élevage et des Pêches de l’Adamaoua", "delegation",
     "Ngaoundéré", "AD", ["pastoral_support"]),
    ("minjustice-caj-yaounde", "MINJUSTICE", "Commission d’assistance judiciaire de Yaoundé", "office", "Yaoundé",
     "CE", ["legal_aid"]),
    ("minjustice-caj-douala", "MINJUSTICE", "Commission d’assistance judiciaire de Douala", "office", "Douala", "LT",
     ["legal_aid"]),
]
