"""Demo data, built step by step by each app's ``demo.py`` (``seed(ctx)``).

``seed_demo`` runs the steps in order inside one transaction. Every step must be
idempotent (get-or-create on natural keys): running the command twice changes nothing.
Later apps add their step to ``DEMO_STEPS``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

DEMO_PASSWORD = "Mboa-demo-2026"  # noqa: S105 - published demo password, demo data only

DEMO_STEPS = [
    "mboa.actors.demo",
    "mboa.accounts.demo",
    "mboa.governance.demo",
    "mboa.registry.demo",
    "mboa.reception.demo",
    "mboa.cases.demo",
    "mboa.referrals.demo",
    "mboa.projects.demo",
    "mboa.monitoring.demo",
    "mboa.statistics.demo",
]


@dataclass
class DemoContext:
    rng: random.Random = field(default_factory=lambda: random.Random(2017))
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role, structure)
    created: dict[str, int] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    def count(self, key: str, created: bool) -> None:
        if created:
            self.created[key] = self.created.get(key, 0) + 1


def run_all() -> DemoContext:
    ctx = DemoContext()
    for dotted in DEMO_STEPS:
        import_module(dotted).seed(ctx)
    return ctx


# Realistic Cameroonian names (French- and English-speaking regions), shared by the demo steps.
FAMILY_NAMES = [
    "Abena", "Ateba", "Atangana", "Bessala", "Biya", "Djoumessi", "Ebode", "Essomba", "Eto'o", "Fotso",
    "Kamga", "Kemajou", "Manga", "Mballa", "Mbarga", "Mbida", "Mbouombouo", "Ndam", "Ndongo", "Ngo Bassa",
    "Ngono", "Nguemo", "Njoya", "Nkengue", "Nkou", "Noah", "Nsangou", "Ondoa", "Owona", "Tchakounté",
    "Tchinda", "Tamo", "Wandji", "Yaya", "Zambo", "Fonkou", "Tabi", "Achidi", "Ayuk", "Ngwa", "Hamadou",
    "Oumarou", "Bello", "Aboubakar", "Moussa",
]
GIVEN_NAMES_M = [
    "Jean-Paul", "Serge", "Emmanuel", "Christian", "Hervé", "Rodrigue", "Aristide", "Blaise", "Cyrille",
    "Joseph", "Samuel", "Ibrahim", "Moustapha", "Alain", "Patrice", "Franck", "Boris", "Landry", "Junior",
]
GIVEN_NAMES_F = [
    "Marie", "Brigitte", "Solange", "Pélagie", "Chantal", "Clarisse", "Estelle", "Nadège", "Aïssatou",
    "Hadjara", "Josiane", "Florence", "Christelle", "Sandrine", "Vanessa", "Irène", "Larissa", "Rachel",
]


def cameroon_mobile(rng: random.Random) -> str:
    """A well-formed Cameroonian mobile number in E.164 (+237 6X XX XX XX)."""
    return "+2376" + rng.choice("5789") + "".join(rng.choice("0123456789") for _ in range(7))
