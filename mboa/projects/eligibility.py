"""Eligibility rules, configured in ``settings.MBOA_PROJECTS["ELIGIBILITY"]``.

``breaches(version, members, today)`` returns every rule the version breaks, each with a
code, the field at fault and a sentence saying which rule and why (with the figures).
An empty list means eligible. Rules are evaluated at submission (a breaching version is
refused) and shown on the dossier page while it is being drawn up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from mboa.core.conf import setting

from .models import DossierKind
from .profitability import for_version


@dataclass(frozen=True)
class Breach:
    code: str
    field: str
    message: str


def _xaf(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " XAF"


def breaches(version, members: Iterable, *, kind: str, today: dt.date) -> list[Breach]:
    rules = setting("PROJECTS", "ELIGIBILITY")
    members = list(members)
    promoters = [m for m in members if m.role == "promoter"]
    returnees = [m for m in members if m.is_returnee]
    found: list[Breach] = []
    if not promoters:
        found.append(Breach("no_promoter", "members", _("The project has no promoter.")))
    min_days = int(rules["MIN_DAYS_AFTER_RETURN"])
    for member in returnees:
        if member.returned_on is None:
            found.append(Breach("return_date_missing", "members", _(
                "The date of return of %(name)s is missing: eligibility starts %(days)s days after return."
            ) % {"name": f"{member.family_name} {member.given_names}".strip(), "days": min_days}))
            continue
        eligible_on = member.returned_on + dt.timedelta(days=min_days)
        if today < eligible_on:
            found.append(Breach("too_soon_after_return", "members", _(
                "%(name)s returned on %(returned)s: a project may be submitted from %(from)s "
                "(%(days)s days after return)."
            ) % {"name": f"{member.family_name} {member.given_names}".strip(), "returned": member.returned_on,
                 "from": eligible_on, "days": min_days}))
    ceiling = int(rules["BUDGET_CEILING_PER_RETURNEE_XAF"]) * max(len(returnees), 1)
    if version.budget_xaf > ceiling:
        found.append(Breach("budget_over_ceiling", "budget_lines", _(
            "The budget of %(budget)s is over the ceiling of %(ceiling)s (%(per)s per returnee × %(n)s)."
        ) % {"budget": _xaf(version.budget_xaf), "ceiling": _xaf(ceiling),
             "per": _xaf(int(rules["BUDGET_CEILING_PER_RETURNEE_XAF"])), "n": max(len(returnees), 1)}))
    if kind in (DossierKind.COLLECTIVE, DossierKind.COMMUNITY):
        needed = int(rules["MIN_RETURNEES_COLLECTIVE"])
        if len(returnees) < needed:
            found.append(Breach("too_few_returnees", "members", _(
                "A collective or community project needs at least %(n)s returnees; it has %(has)s."
            ) % {"n": needed, "has": len(returnees)}))
    if kind == DossierKind.COMMUNITY and not any(not m.is_returnee for m in members):
        found.append(Breach("no_community_member", "members", _(
            "A community project includes members of the community who are not migrants; none is recorded.")))
    if kind == DossierKind.INDIVIDUAL and len(returnees) > 1:
        found.append(Breach("individual_several", "kind", _(
            "An individual project has one returnee; this one has %(n)s: choose “collective”.") % {"n": len(returnees)}))
    if rules["REQUIRE_POSITIVE_MARGIN"]:
        margin = for_version(version).monthly_margin_xaf
        if margin <= 0:
            found.append(Breach("no_margin", "monthly_costs_xaf", _(
                "The expected monthly margin is %(margin)s: revenue must exceed costs.") % {"margin": _xaf(margin)}))
    if version.budget_xaf <= 0:
        found.append(Breach("no_budget", "budget_lines", _("The budget has no line.")))
    return found
