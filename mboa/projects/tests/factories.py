"""Test data for projects: dossiers built through the services, sessions with quorum."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mboa.actors.models import Region
from mboa.cases.models import Filiere
from mboa.registry.tests.factories import PersonFactory

from .. import services
from ..models import Dossier, ValidationSession


def lines(total: int = 600_000) -> list[dict]:
    return [{"item": "Équipement", "quantity": "2", "unit_cost_xaf": str(total // 2 - 50_000), "supplier": "ETS Fotso"},
            {"item": "Stock initial", "quantity": "1", "unit_cost_xaf": "100000", "supplier": ""}]


def make_dossier(*, by, kind: str = "individual", filiere: str = "boutique", region: str = "LT", town: str = "Douala",
                 returned_days_ago: int = 60, sex: str = "M", budget: int = 600_000, revenue: int = 250_000,
                 costs: int = 150_000, submit: bool = True, people: int = 1, community: int = 0,
                 title: str = "Boutique de quartier") -> Dossier:
    f = Filiere.objects.get(code=filiere)
    returned = timezone.localdate() - dt.timedelta(days=returned_days_ago)
    members = []
    for i in range(people):
        person = PersonFactory(family_name=f"Promoteur{i}", given_names="Test", sex=sex)
        members.append({"person": person, "returned_on": returned})
    for i in range(community):
        members.append({"is_returnee": False, "family_name": f"Voisin{i}", "given_names": "Com", "sex": "F"})
    dossier = services.dossier_create(
        by=by, kind=kind, members=members, budget_lines=lines(budget),
        data={"title": title, "sector": f.sector, "filiere": f, "region": Region.objects.get(code=region),
              "town": town, "description": "Vente de produits de première nécessité", "market": "Quartier",
              "monthly_revenue_xaf": revenue, "monthly_costs_xaf": costs, "risks": "Concurrence",
              "counsellor_opinion": "Favorable"},
    )
    if submit:
        dossier = services.dossier_submit(dossier=dossier, by=by)
    return dossier


def make_session(*, by, present: int = 13, date: dt.date | None = None) -> ValidationSession:
    session = services.session_create(by=by, date=date or timezone.localdate(), place="MINJEC, Yaoundé")
    ids = list(session.attendance.values_list("structure_id", flat=True))[:present]
    services.session_attendance_set(session=session, by=by, present=dict.fromkeys(ids, "Représentant"))
    return session
