"""Demo focal points for the 18 structures: one or two current ones each, and a former one."""

from __future__ import annotations

import datetime as dt
import unicodedata

from mboa.core.demo import FAMILY_NAMES, GIVEN_NAMES_F, GIVEN_NAMES_M, DemoContext, cameroon_mobile

from .models import FocalPoint, Structure

FUNCTIONS = {
    "OIM": "Chargé(e) de programme réintégration",
    "DUE": "Chargé(e) de coopération, migration",
    "MINREX": "Sous-directeur des Camerounais à l’étranger",
    "DGSN": "Commissaire, police des frontières",
    "MINSANTE": "Médecin, direction de la lutte contre la maladie",
    "MINAS": "Chef de service de l’action sociale",
}


def _email(given: str, family: str, code: str) -> str:
    """``clarisse.tchakounte@minepia.example.cm``: accents dropped, as an address that the
    directory's own form (and the API's email field) would accept."""
    local = f"{given.split('-')[0]}.{family}".lower().replace(" ", "").replace("'", "")
    local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
    return f"{local}@{code.lower()}.example.cm"


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    for structure in Structure.objects.order_by("code"):
        count = 2 if structure.code in {"OIM", "MINREX", "MINSANTE", "MINAS", "MINJEC"} else 1
        for index in range(count):
            female = rng.random() < 0.45
            given = rng.choice(GIVEN_NAMES_F if female else GIVEN_NAMES_M)
            family = rng.choice(FAMILY_NAMES)
            function = FUNCTIONS.get(structure.code, "Point focal migration et réintégration")
            _, created = FocalPoint.objects.get_or_create(
                structure=structure,
                given_names=given,
                family_name=family,
                defaults={
                    "title": "Mme" if female else "M.",
                    "function": function if index == 0 else "Point focal suppléant",
                    "email": _email(given, family, structure.code),
                    "phone": cameroon_mobile(rng),
                    "start_date": dt.date(2017, 6, 1) + dt.timedelta(days=rng.randint(0, 500)),
                },
            )
            ctx.count("focal points", created)
    # Focal points change: MINREX's first focal point handed over in 2019, history kept.
    minrex = Structure.objects.get(code="MINREX")
    _, created = FocalPoint.objects.get_or_create(
        structure=minrex, given_names="Paul", family_name="Ekotto",
        defaults={"title": "M.", "function": "Ancien point focal", "start_date": dt.date(2017, 3, 1),
                  "end_date": dt.date(2019, 2, 28), "phone": "+237699001122"},
    )
    ctx.count("focal points", created)
