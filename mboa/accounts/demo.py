"""Demo users, one per role (printed by ``make run``)."""

from __future__ import annotations

from mboa.actors.models import FocalPoint, Structure
from mboa.core.demo import DEMO_PASSWORD, DemoContext

from .models import Role, User

# username, first name, last name, structure, roles, city
DEMO_USERS = [
    ("admin", "Aline", "Mbarga", "OIM", ["admin"], "Yaoundé"),
    ("gestionnaire", "Serge", "Atangana", "OIM", ["case_manager"], "Yaoundé"),
    ("conseiller.insertion", "Brigitte", "Ngono", "MINJEC", ["insertion_counsellor"], "Yaoundé"),
    ("conseiller.psy", "Emmanuel", "Fotso", "MINAS", ["psychosocial_counsellor"], "Douala"),
    ("pf.minsante", "Chantal", "Ebode", "MINSANTE", ["focal_point"], "Yaoundé"),
    ("pf.minas", "Hervé", "Kamga", "MINAS", ["focal_point"], "Yaoundé"),
    ("secretariat", "Clarisse", "Owona", "OIM", ["secretariat"], "Yaoundé"),
    ("bailleur", "Pierre", "Durand", "DUE", ["donor"], "Yaoundé"),
    ("statisticien", "Ibrahim", "Hamadou", "INS", ["statistician"], "Yaoundé"),
]


def seed(ctx: DemoContext) -> None:
    roles = {role.code: role for role in Role.objects.all()}
    structures = {s.code: s for s in Structure.objects.all()}
    for username, first, last, code, role_codes, city in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "structure": structures[code], "city": city,
                      "email": f"{username}@demo.mboa.cm", "is_staff": "admin" in role_codes,
                      "is_superuser": "admin" in role_codes},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.roles.set([roles[c] for c in role_codes])
        ctx.count("users", created)
        ctx.logins.append((username, ", ".join(str(roles[c]) for c in role_codes), code))
        if "focal_point" in role_codes:
            # The focal point's account is linked to their entry in the directory.
            FocalPoint.objects.get_or_create(
                structure=structures[code], given_names=first, family_name=last,
                defaults={"user": user, "title": "", "function": "Point focal Mboa", "email": user.email},
            )
