"""The vocabularies every app shares, each defined once with the flags other apps need.

Vulnerabilities are flagged at reception, assessed by counsellors, filtered on the case
list and shared (or not) with referrals: one list of codes serves them all, and each code
says whether it is **health data** — health data travels only to health structures
(``settings.MBOA["HEALTH_STRUCTURES"]``) and is read only by those who may read health
details. The codes are stored in the database (passengers, case vulnerabilities,
assessment answers, referral snapshots); changing one needs a data migration.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Vulnerability(models.TextChoices):
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied or separated child")
    PREGNANT = "pregnant", _("Pregnant woman")
    MEDICAL = "medical", _("Medical needs")
    DISABILITY = "disability", _("Disability")
    ELDERLY = "elderly", _("Elderly person")
    SINGLE_HEAD = "single_head", _("Single head of household")
    GBV_SURVIVOR = "gbv_survivor", _("Survivor of gender-based violence")
    TRAFFICKING_VICTIM = "trafficking_victim", _("Victim of trafficking")
    MENTAL_HEALTH = "mental_health", _("Mental health needs")
    NO_FAMILY_SUPPORT = "no_family_support", _("No family support")
    DEBT = "debt", _("Heavy debt from the journey")


@dataclass(frozen=True)
class VulnerabilityInfo:
    code: str
    label: Any
    health: bool


# Health data: travels only with the "health" part of a referral, to health structures.
HEALTH_VULNERABILITIES: frozenset[str] = frozenset({
    Vulnerability.PREGNANT, Vulnerability.MEDICAL, Vulnerability.DISABILITY, Vulnerability.MENTAL_HEALTH,
})

VULNERABILITIES: dict[str, VulnerabilityInfo] = {
    code: VulnerabilityInfo(code, label, code in HEALTH_VULNERABILITIES) for code, label in Vulnerability.choices
}

# Codes used before the vocabularies were merged (reception's list), and their code now.
# Data migrations use it to convert stored values; readers use it for values that predate them.
FORMER_CODES: dict[str, str] = {
    "serious_medical": Vulnerability.MEDICAL,
    "trafficking": Vulnerability.TRAFFICKING_VICTIM,
    "violence": Vulnerability.GBV_SURVIVOR,
}


def vulnerability_code(code: str) -> str:
    """The current code for ``code`` (a former code is converted; others are returned as is)."""
    return FORMER_CODES.get(code, code)


def vulnerability_label(code: str) -> str:
    """The label in the reader's language; the code itself when it is not in the vocabulary."""
    info = VULNERABILITIES.get(vulnerability_code(code))
    return str(info.label) if info else code


def is_health_vulnerability(code: str) -> bool:
    """Health data? Unknown codes count as health data: when in doubt, the stricter rule."""
    info = VULNERABILITIES.get(vulnerability_code(code))
    return True if info is None else info.health


def split_health(codes: Iterable[str]) -> tuple[list[str], list[str]]:
    """(non-health codes, health codes), each sorted and converted to the current codes."""
    current = sorted({vulnerability_code(c) for c in codes})
    return [c for c in current if not is_health_vulnerability(c)], [c for c in current if is_health_vulnerability(c)]


def vulnerability_choices(*, include_health: bool = True) -> list[tuple[str, Any]]:
    return [(code, info.label) for code, info in VULNERABILITIES.items() if include_health or not info.health]


# Age groups of every figure (arrival report, dashboards, statistical release, community
# beneficiaries): (lowest age, highest age, label), in years at the date that matters.
AGE_GROUPS: tuple[tuple[int, int, str], ...] = (
    (0, 17, "0-17"), (18, 24, "18-24"), (25, 34, "25-34"), (35, 49, "35-49"), (50, 200, "50+"))
