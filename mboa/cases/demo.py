"""Demo data of cases: the 19 counsellors, a supervisor, cases at every stage (with
sessions, assessments, consents, approvals, a transfer), a clearly labelled EXAMPLE niche
map and two MINEFOP trainings. Idempotent: people are keyed by name and birth date, and a
person who already has a case is left alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext

from mboa.accounts.models import Role, User
from mboa.actors.models import Region, Structure
from mboa.core.demo import DEMO_PASSWORD, FAMILY_NAMES, GIVEN_NAMES_F, GIVEN_NAMES_M, DemoContext, cameroon_mobile
from mboa.registry.models import Person, PersonPhone
from mboa.registry.services import person_refresh_keys

from . import assessments, selectors, services, trainings
from .consent import consent_record
from .models import Case, Counsellor, Filiere, Niche, Supervisor, TrainingOffer

EXAMPLE_SOURCE = "EXEMPLE DE DÉMONSTRATION — carte non officielle"

# username, first, last, structure, city  (the first of each list exists from accounts.demo)
INSERTION = [
    ("conseiller.insertion", "Brigitte", "Ngono", "MINJEC", "Yaoundé"),
    ("ci.yaounde.02", "Rodrigue", "Mballa", "MINJEC", "Yaoundé"),
    ("ci.yaounde.03", "Estelle", "Ateba", "MINJEC", "Yaoundé"),
    ("ci.yaounde.04", "Blaise", "Ondoa", "MINJEC", "Yaoundé"),
    ("ci.yaounde.05", "Nadège", "Mbida", "MINJEC", "Yaoundé"),
    ("ci.yaounde.06", "Cyrille", "Nkou", "MINJEC", "Yaoundé"),
    ("ci.yaounde.07", "Josiane", "Zambo", "MINJEC", "Yaoundé"),
    ("ci.yaounde.08", "Landry", "Bessala", "PARIJEDI", "Yaoundé"),
    ("ci.yaounde.09", "Sandrine", "Owona", "PARIJEDI", "Yaoundé"),
    ("ci.yaounde.10", "Franck", "Essomba", "PARIJEDI", "Yaoundé"),
    ("ci.douala.01", "Vanessa", "Tchinda", "MINJEC", "Douala"),
    ("ci.douala.02", "Boris", "Kemajou", "MINJEC", "Douala"),
    ("ci.douala.03", "Irène", "Njoya", "MINJEC", "Douala"),
    ("ci.douala.04", "Patrice", "Fotso", "PARIJEDI", "Douala"),
    ("ci.douala.05", "Rachel", "Wandji", "PARIJEDI", "Douala"),
]
PSYCHOSOCIAL = [
    ("conseiller.psy", "Emmanuel", "Fotso", "MINAS", "Douala"),
    ("cp.douala.02", "Christelle", "Ndam", "MINAS", "Douala"),
    ("cp.yaounde.01", "Aristide", "Manga", "MINAS", "Yaoundé"),
    ("cp.yaounde.02", "Florence", "Abena", "MINAS", "Yaoundé"),
]
MANAGERS = [
    # username, first, last, city, supervisor?
    ("superviseur", "Solange", "Eto'o", "Yaoundé", True),
    ("gestionnaire.douala", "Alain", "Ngwa", "Douala", False),
]
# region, filière, rationale, investment range (XAF)
EXAMPLE_NICHES = [
    ("CE", "aviculture", "Forte demande urbaine en poulets et œufs à Yaoundé.", 400_000, 900_000),
    ("CE", "maraichage", "Marchés de Yaoundé proches ; cycles courts.", 250_000, 600_000),
    ("CE", "boulangerie", "Consommation quotidienne ; quartiers périphériques mal desservis.", 600_000, 1_500_000),
    ("CE", "couture", "Commandes régulières (uniformes, cérémonies).", 300_000, 700_000),
    ("CE", "cyber", "Services de bureautique près des universités.", 500_000, 1_200_000),
    ("LT", "pisciculture", "Eau abondante, demande portuaire en poisson frais.", 500_000, 1_200_000),
    ("LT", "mecanique", "Parc de motos et véhicules de Douala.", 400_000, 1_000_000),
    ("LT", "transfo_manioc", "Bâtons et gari vendus vers Douala.", 300_000, 800_000),
    ("LT", "vivres", "Marchés de gros de Douala.", 200_000, 500_000),
    ("OU", "porciculture", "Tradition d'élevage, aliments disponibles.", 400_000, 900_000),
    ("OU", "cafe", "Bassin caféier de l'Ouest, relance de la filière.", 500_000, 1_000_000),
    ("NO", "petits_ruminants", "Marchés à bétail de Garoua.", 300_000, 800_000),
]
# Cases per stage (the demo's "every stage").
STAGES = ["open"] * 6 + ["orientation"] * 5 + ["plan"] * 5 + ["assistance"] * 4 + ["follow_up"] * 4 + ["closed"] * 4


def _user(ctx: DemoContext, username, first, last, code, city, role) -> User:
    structures = {s.code: s for s in Structure.objects.filter(code__in=["OIM", "MINJEC", "PARIJEDI", "MINAS"])}
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "structure": structures[code], "city": city,
                  "email": f"{username}@demo.mboa.cm"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.roles.add(Role.objects.get(code=role))
    ctx.count("users", created)
    return user


def _counsellors(ctx: DemoContext) -> dict[str, list[Counsellor]]:
    result: dict[str, list[Counsellor]] = {"Yaoundé": [], "Douala": []}
    for kind, rows, role in (("insertion", INSERTION, "insertion_counsellor"),
                             ("psychosocial", PSYCHOSOCIAL, "psychosocial_counsellor")):
        for username, first, last, code, city in rows:
            user = _user(ctx, username, first, last, code, city, role)
            counsellor, created = Counsellor.objects.get_or_create(
                user=user, defaults={"kind": kind, "structure": user.structure, "city": city})
            ctx.count("counsellors", created)
            result[city].append(counsellor)
    return result


def _person(ctx: DemoContext, index: int) -> tuple[Person, bool]:
    rng = ctx.rng
    female = index % 3 == 0
    given = (GIVEN_NAMES_F if female else GIVEN_NAMES_M)[index % len(GIVEN_NAMES_F if female else GIVEN_NAMES_M)]
    family = FAMILY_NAMES[(index * 7) % len(FAMILY_NAMES)]
    year, month, day = 1985 + index % 15, 1 + index % 12, 1 + (index * 5) % 28
    # filter().first(): another demo step may have registered a namesake born the same day.
    key = {"family_name": family, "given_names": given, "birth_year": year, "birth_month": month, "birth_day": day}
    person = Person.objects.filter(**key).order_by("pk").first()
    created = person is None
    if created:
        person = Person.objects.create(**key, sex="F" if female else "M", nationality="CM")
        PersonPhone.objects.create(person=person, number=cameroon_mobile(rng))
        person_refresh_keys(person=person)
    ctx.count("people (cases)", created)
    return person, created


def seed(ctx: DemoContext) -> None:
    counsellors = _counsellors(ctx)
    manager = User.objects.get(username="gestionnaire")
    supervisor = _user(ctx, *MANAGERS[0][:3], "OIM", MANAGERS[0][3], "case_manager")
    Supervisor.objects.get_or_create(user=supervisor)
    douala_manager = _user(ctx, *MANAGERS[1][:3], "OIM", MANAGERS[1][3], "case_manager")
    ctx.logins.append(("superviseur", gettext("IOM supervisor (case manager)"), "OIM"))
    ctx.logins.append(("ci.douala.01", gettext("Insertion counsellor (Douala)"), "MINJEC"))

    _niches(ctx, supervisor)
    offers = _trainings(ctx, supervisor)
    minefop = Structure.objects.get(code="MINEFOP")
    today = timezone.localdate()
    for index, stage in enumerate(STAGES):
        person, _created = _person(ctx, index)
        if Case.objects.filter(person=person).exists():
            continue
        city = "Douala" if index % 3 == 2 else "Yaoundé"
        owner = douala_manager if city == "Douala" else manager
        case = services.case_open(person=person, by=owner, city=city, arrival_reference=f"DEMO-{2026 - index % 2}-"
                                  f"{index % 4 + 1:02d}")
        Case.objects.filter(pk=case.pk).update(
            opened_at=timezone.now() - dt.timedelta(days=5 * (len(STAGES) - index)),
            arrival_date=today - dt.timedelta(days=5 * (len(STAGES) - index)))
        ctx.count("cases", True)
        _advance(case, stage, owner, supervisor, counsellors[city], index, offers, minefop)
    # One transfer waiting for Douala's acceptance.
    movable = Case.objects.filter(city="Yaoundé", status="orientation").order_by("pk").first()
    if movable and not movable.transfers.exists():
        services.transfer_request(case=movable, to_owner=douala_manager, to_city="Douala",
                                  reason="Le retourné s'installe chez sa famille à Douala.", by=manager)


def _advance(case, stage, owner, supervisor, team, index, offers, minefop) -> None:
    today = timezone.localdate()
    insertion = [c for c in team if c.kind == "insertion"]
    psy = [c for c in team if c.kind == "psychosocial"]
    case = services.case_assign(case=case, counsellor=selectors.counsellor_suggest(case=case, kind="insertion")
                                or insertion[0], by=owner)
    consent_record(person=case.person, case=case, purpose="assistance", method="signed", by=owner)
    assessments.assessment_record(case=case, kind="vulnerability", by=owner, answers={
        "categories": [["single_head"], [], ["medical"], [], ["trafficking_victim", "mental_health"]][index % 5]})
    if stage == "open":
        return
    if index % 2 == 0:
        case = services.case_assign(case=case, counsellor=psy[index % len(psy)], by=owner)
        services.session_record(case=case, by=case.psychosocial_counsellor.user, kind="psychosocial",
                                held_on=today - dt.timedelta(days=3),
                                notes="Séance d'écoute ; sommeil difficile, soutien familial présent.")
    case = services.case_transition(case=case, action="orient", by=owner)
    counsellor_user = case.insertion_counsellor.user
    services.session_record(case=case, by=counsellor_user, kind="orientation", held_on=today - dt.timedelta(days=2),
                            notes="Présentation des niches de la région ; intérêt pour l'élevage.",
                            next_appointment_at=timezone.now() + dt.timedelta(days=(index % 9) - 3, hours=2)
                            if index % 9 >= 4 else None)
    if index % 9 < 4:
        # Overdue follow-ups for the caseload page.
        type(case).objects.filter(pk=case.pk).update(next_due_on=today - dt.timedelta(days=index % 4 + 1))
    interests = [["aviculture"], ["couture"], ["mecanique"], ["pisciculture"], ["boulangerie"]][index % 5]
    assessments.assessment_record(case=case, kind="skills", by=counsellor_user, answers={
        "education": "secondary", "interests": interests, "languages": ["fr"],
        "experience_abroad": "Travail dans une ferme avicole en Libye" if index % 2 else "Aide-mécanicien au Niger"})
    if stage == "orientation":
        return
    case = services.case_transition(case=case, action="draft_plan", by=counsellor_user)
    approval = services.approval_request(case=case, kind="plan", by=owner, note="Plan d'affaires joint.")
    if stage == "plan":
        if index % 2:
            services.approval_decide(approval=approval, by=supervisor, approve=False,
                                     comment="Préciser le budget d'équipement.")
        return
    services.approval_decide(approval=approval, by=supervisor, approve=True, comment="Plan cohérent.")
    case.refresh_from_db()
    consent_record(person=case.person, case=case, purpose="referral", method="thumbprint", by=owner,
                   structures=[minefop])
    offer = offers[index % len(offers)]
    if not offer.enrolments.filter(case=case).exists() and offer.enrolments.count() < offer.capacity:
        trainings.enrol(offer=offer, case=case, by=owner)
    if stage == "assistance":
        return
    case = services.case_transition(case=case, action="start_follow_up", by=counsellor_user)
    if stage == "follow_up":
        return
    closure = services.approval_request(case=case, kind="closure", by=owner, closure_reason="reintegrated")
    services.approval_decide(approval=closure, by=supervisor, approve=True, comment="Activité rentable.")
    if index % 4 == 0:
        case.refresh_from_db()
        services.case_transition(case=case, action="reopen", by=owner, note="L'activité a cessé ; nouvel appui.")


def _niches(ctx: DemoContext, by) -> None:
    regions = {r.code: r for r in Region.objects.all()}
    filieres = {f.code: f for f in Filiere.objects.select_related("sector")}
    for region, code, rationale, low, high in EXAMPLE_NICHES:
        filiere = filieres[code]
        _niche, created = Niche.objects.get_or_create(
            region=regions[region], department=None, filiere=filiere,
            defaults={"sector": filiere.sector, "rationale": rationale, "investment_min_xaf": low,
                      "investment_max_xaf": high, "source": EXAMPLE_SOURCE, "source_date": dt.date(2025, 1, 15),
                      "is_example": True, "updated_by": by},
        )
        ctx.count("niches (example)", created)


def _trainings(ctx: DemoContext, by) -> list[TrainingOffer]:
    minefop = Structure.objects.get(code="MINEFOP")
    today = timezone.localdate()
    offers = []
    for title, kind, city, filiere in (
        ("Aviculture moderne", "technical", "Yaoundé", "aviculture"),
        ("Créer et gérer sa micro-entreprise", "entrepreneurial", "Douala", None),
    ):
        offer, created = TrainingOffer.objects.get_or_create(
            title=title, provider=minefop,
            defaults={"kind": kind, "provider_name": "Centre de formation professionnelle (SAR/SM)", "city": city,
                      "place": f"CFP {city}", "filiere_id": filiere, "start_date": today - dt.timedelta(days=3),
                      "end_date": today + dt.timedelta(days=25), "capacity": 20, "created_by": by},
        )
        ctx.count("training offers", created)
        offers.append(offer)
    return offers
