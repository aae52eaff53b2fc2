"""Fast builders for many dossiers at once, for the demo data and the benchmark only.

Everything goes through ``bulk_create`` (a handful of INSERTs for hundreds of dossiers):
promoters are registered in the registry with their match profile and blocking keys, so
that the matcher finds them like any other person. These builders write rows as they
should end up, without the services: no rule is checked, no activity is recorded, no
workflow runs. Nothing a user does may reach them; the app's writes are in services.py.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Subquery

from mboa.actors.models import Department
from mboa.cases.models import Filiere
from mboa.core.conf import setting
from mboa.core.demo import FAMILY_NAMES, GIVEN_NAMES_F, GIVEN_NAMES_M
from mboa.registry.models import Person
from mboa.registry.services import people_register_bulk

from . import scoring
from .models import (
    CRITERIA,
    AgendaItem,
    BudgetLine,
    Dossier,
    DossierKind,
    DossierMember,
    DossierStatus,
    DossierVersion,
    Review,
)

TOWNS = {"CE": ["Yaoundé"] * 6 + ["Mbalmayo", "Obala"], "LT": ["Douala"] * 6 + ["Edéa", "Nkongsamba"],
         "OU": ["Bafoussam", "Dschang"], "NW": ["Bamenda"], "SW": ["Buea", "Limbe"]}
REGION_WEIGHTS = [("CE", 50), ("LT", 40), ("OU", 5), ("NW", 2), ("SW", 3)]
ITEMS = {
    "commerce": [("Stock de marchandises", 1, 250_000), ("Étagères et comptoir", 1, 120_000),
                 ("Congélateur", 1, 180_000)],
    "elevage": [("Poussins d'un jour", 500, 450), ("Aliment (sacs de 50 kg)", 20, 14_500),
                ("Construction du poulailler", 1, 150_000)],
    "agriculture": [("Semences et plants", 1, 90_000), ("Engrais et produits", 1, 120_000),
                    ("Location de terrain (1 an)", 1, 100_000)],
    "artisanat": [("Machine / outillage", 1, 300_000), ("Matières premières", 1, 120_000),
                  ("Aménagement de l'atelier", 1, 80_000)],
    "services": [("Équipement", 1, 280_000), ("Fonds de roulement", 1, 100_000), ("Mobilier", 1, 90_000)],
    "transport": [("Moto neuve", 1, 520_000), ("Casques et équipement", 2, 15_000),
                  ("Assurance et carte grise", 1, 60_000)],
    "agro_transformation": [("Moulin / presse", 1, 280_000), ("Matières premières", 1, 100_000),
                            ("Emballages", 1, 60_000)],
    "numerique": [("Ordinateurs", 2, 180_000), ("Imprimante", 1, 120_000), ("Onduleur", 1, 45_000)],
}


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def people_bulk(rng: random.Random, n: int, *, by=None) -> list[Person]:
    """Register ``n`` returnees in one go, with their matcher profile and keys (the registry's bulk registration)."""
    people = []
    for _ in range(n):
        sex = "F" if rng.random() < 0.3 else "M"
        people.append({"family_name": rng.choice(FAMILY_NAMES),
                       "given_names": rng.choice(GIVEN_NAMES_F if sex == "F" else GIVEN_NAMES_M), "sex": sex,
                       "birth_year": rng.randint(1980, 2002), "birth_month": rng.randint(1, 12),
                       "birth_day": rng.randint(1, 28)})
    return people_register_bulk(people=people, by=by)


def dossiers_bulk(*, rng: random.Random, n: int, prefix: str, structure, counsellor, status: str,
                  submitted_at: dt.datetime, returned_before: dt.date) -> list[Dossier]:
    """``n`` submitted dossiers (version 1) with promoters, budget lines and place.
    Demo and benchmark data only: no rule, no activity (see the module's docstring)."""
    filieres = list(Filiere.objects.select_related("sector"))
    departments: dict[str, list[Department]] = {}
    for d in Department.objects.all():
        departments.setdefault(d.region_id, []).append(d)
    plans = []
    for _ in range(n):
        kind = _weighted(rng, [(DossierKind.INDIVIDUAL, 85), (DossierKind.COLLECTIVE, 10),
                               (DossierKind.COMMUNITY, 5)])
        returnees = 1 if kind == DossierKind.INDIVIDUAL else rng.randint(2, 4)
        region = _weighted(rng, REGION_WEIGHTS)
        filiere = rng.choice(filieres)
        lines = [(item, qty, int(cost * rng.uniform(0.8, 1.2))) for item, qty, cost in
                 ITEMS.get(filiere.sector_id, ITEMS["services"])]
        scale = returnees if kind != DossierKind.INDIVIDUAL else 1
        lines = [(item, qty, cost * scale) for item, qty, cost in lines]
        budget = sum(q * c for _i, q, c in lines)
        revenue = int(budget * rng.uniform(0.25, 0.5) / 1000) * 1000
        costs = int(revenue * rng.uniform(0.45, 0.8) / 1000) * 1000
        plans.append({"kind": kind, "returnees": returnees, "community": 3 if kind == DossierKind.COMMUNITY else 0,
                      "region": region, "town": rng.choice(TOWNS[region]),
                      "department": rng.choice(departments[region]) if departments.get(region) else None,
                      "filiere": filiere, "lines": lines, "budget": budget, "revenue": revenue, "costs": costs})
    people = iter(people_bulk(rng, sum(p["returnees"] for p in plans), by=counsellor))
    for p in plans:
        p["people"] = [next(people) for _ in range(p["returnees"])]
        p["lead_sex"] = p["people"][0].sex
    dossiers = Dossier.objects.bulk_create([
        Dossier(reference=f"{prefix}-{i + 1:04d}", kind=p["kind"], status=status, structure=structure,
                counsellor=counsellor, title=f"{p['filiere'].name_fr} — {p['town']}", sector_id=p["filiere"].sector_id,
                filiere=p["filiere"], region_id=p["region"], department=p["department"], town=p["town"],
                budget_xaf=p["budget"], submitted_at=submitted_at, lead_sex=p["lead_sex"],
                women=sum(1 for x in p["people"] if x.sex == "F"), men=sum(1 for x in p["people"] if x.sex == "M"))
        for i, p in enumerate(plans)], batch_size=1000)
    versions = DossierVersion.objects.bulk_create([
        DossierVersion(dossier=d, number=1, title=d.title, sector_id=p["filiere"].sector_id, filiere=p["filiere"],
                       region_id=p["region"], department=p["department"], town=p["town"],
                       description=f"Activité de {p['filiere'].name_fr.lower()} à {p['town']}.",
                       market="Clientèle du quartier et des marchés voisins.",
                       contributions="Local familial, main-d'œuvre des promoteurs.", contribution_xaf=50_000,
                       monthly_revenue_xaf=p["revenue"], monthly_costs_xaf=p["costs"],
                       risks="Concurrence, hausse des prix des intrants.",
                       counsellor_opinion="Projet cohérent avec l'expérience du promoteur.", budget_xaf=p["budget"],
                       submitted_at=submitted_at, submitted_by=counsellor)
        for d, p in zip(dossiers, plans, strict=True)], batch_size=1000)
    BudgetLine.objects.bulk_create([
        BudgetLine(version=v, position=j + 1, item=item, quantity=Decimal(qty), unit_cost_xaf=cost,
                   supplier=rng.choice(["ETS Fotso", "Quincaillerie du Centre", "Agro-Plus", "Marché Mokolo", ""]))
        for v, p in zip(versions, plans, strict=True) for j, (item, qty, cost) in enumerate(p["lines"])],
        batch_size=2000)
    members = []
    for d, p in zip(dossiers, plans, strict=True):
        for j, person in enumerate(p["people"]):
            members.append(DossierMember(
                dossier=d, person=person, is_returnee=True, role="promoter", family_name=person.family_name,
                given_names=person.given_names, sex=person.sex, position=j + 1,
                returned_on=returned_before - dt.timedelta(days=rng.randint(0, 200))))
        for j in range(p["community"]):
            sex = rng.choice("FM")
            members.append(DossierMember(dossier=d, is_returnee=False, role="beneficiary",
                                         family_name=rng.choice(FAMILY_NAMES),
                                         given_names=rng.choice(GIVEN_NAMES_F if sex == "F" else GIVEN_NAMES_M),
                                         sex=sex, position=10 + j))
    DossierMember.objects.bulk_create(members, batch_size=2000)
    set_current_version([d.pk for d in dossiers], number=1)
    for d, v in zip(dossiers, versions, strict=True):
        d.current_version = v
    return dossiers


def set_current_version(dossier_ids: list[int], *, number: int) -> None:
    """Point each dossier at its version ``number`` in one UPDATE (demo and benchmark data only)."""
    Dossier.objects.filter(pk__in=dossier_ids).update(current_version=Subquery(
        DossierVersion.objects.filter(dossier=OuterRef("pk"), number=number).values("pk")[:1]))


def agenda_bulk(*, session, dossiers: list[Dossier], reviewers: list[Any] = (), rng: random.Random | None = None,
                quality: dict[int, float] | None = None) -> list[AgendaItem]:
    """Put dossiers on the agenda; with ``reviewers``, each scores each dossier around a
    per-dossier quality, and the items are created with their score summary. Demo and
    benchmark data only: no rule, no activity, the state set directly (see the module's
    docstring; ``services.agenda_add`` and ``services.review_record`` are the app's writes)."""
    rng = rng or random.Random(0)  # noqa: S311 - demo and benchmark data
    config = setting("PROJECTS", "SCORING")
    pending: list[tuple[int, Any, dict, float]] = []
    items = []
    for i, d in enumerate(dossiers):
        base = (quality or {}).get(d.pk, rng.uniform(2.5, 4.5))
        reviews = []
        for reviewer in reviewers:
            scores = {c: max(0, min(5, round(base + rng.uniform(-1, 1)))) for c in CRITERIA}
            reviews.append(Review(reviewer=reviewer, structure_id=reviewer.structure_id, **scores,
                                  combined=scoring.combine(scores, config["WEIGHTS"]),
                                  scoring_version=str(config["VERSION"]), weights=dict(config["WEIGHTS"])))
        summary = scoring.summarise(reviews)
        items.append(AgendaItem(session=session, dossier=d, version_id=d.current_version_id, position=i + 1,
                                analysis_summary=f"{d.title}: budget {d.budget_xaf} XAF, marge positive.",
                                review_count=summary["count"], score_mean=summary["mean"],
                                score_spread=summary["spread"], criteria_means=summary["criteria"]))
        pending.append((i, reviews, summary, base))
    items = AgendaItem.objects.bulk_create(items, batch_size=1000)
    all_reviews = []
    for i, reviews, _summary, _base in pending:
        for review in reviews:
            review.item = items[i]
            all_reviews.append(review)
    Review.objects.bulk_create(all_reviews, batch_size=5000)
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers], status=DossierStatus.READY).update(
        status=DossierStatus.ON_AGENDA)
    return items
