"""The synthesis of a validation session: counts, amounts and average scores by sector,
value chain, region, kind and lead promoter's sex, with the outcomes once decided.

One query over the agenda (dossier fields are denormalised from the version on the
agenda), one for the current determinations, one for labels: well under a second for
500 dossiers.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mboa.actors.models import Region
from mboa.cases.models import Filiere, Sector

from .models import Determination, DossierKind, ValidationSession

SEX_LABELS = {"F": gettext_lazy("Women"), "M": gettext_lazy("Men"), "U": gettext_lazy("Unknown"), "": gettext_lazy("Unknown")}


def _group() -> dict[str, Any]:
    return {"count": 0, "budget_xaf": 0, "score_sum": 0.0, "scored": 0, "women": 0, "men": 0,
            "outcomes": defaultdict(int)}


def _finish(key: str, label: str, g: dict) -> dict:
    return {"key": key, "label": label, "count": g["count"], "budget_xaf": g["budget_xaf"],
            "avg_score": round(g["score_sum"] / g["scored"], 2) if g["scored"] else None,
            "women": g["women"], "men": g["men"], "outcomes": dict(g["outcomes"])}


def session_synthesis(session: ValidationSession) -> dict[str, Any]:
    rows = list(session.items.values_list(
        "dossier_id", "dossier__sector_id", "dossier__filiere_id", "dossier__region_id", "dossier__kind",
        "dossier__lead_sex", "version__budget_xaf", "score_mean", "dossier__women", "dossier__men"))
    outcome_of = dict(Determination.objects.filter(session=session, undone_at__isnull=True, resolves__isnull=True)
                      .values_list("dossier_id", "outcome"))
    dims = {"sector": 1, "filiere": 2, "region": 3, "kind": 4, "sex": 5}
    groups: dict[str, dict[str, dict]] = {d: defaultdict(_group) for d in dims}
    total = _group()
    for row in rows:
        outcome = outcome_of.get(row[0], "pending")
        targets = [total] + [groups[d][row[i] or ""] for d, i in dims.items()]
        for g in targets:
            g["count"] += 1
            g["budget_xaf"] += row[6] or 0
            if row[7] is not None:
                g["score_sum"] += row[7]
                g["scored"] += 1
            g["women"] += row[8]
            g["men"] += row[9]
            g["outcomes"][outcome] += 1
    labels = {
        "sector": {s.code: s.name for s in Sector.objects.all()},
        "filiere": {f.code: f.name for f in Filiere.objects.all()},
        "region": dict(Region.objects.values_list("code", "name")),
        "kind": {k: str(v) for k, v in DossierKind.choices},
        "sex": {k: str(v) for k, v in SEX_LABELS.items()},
    }
    result: dict[str, Any] = {"total": _finish("total", _("All dossiers"), total)}
    for dim in dims:
        result[dim] = sorted((_finish(k, labels[dim].get(k, k or _("Not set")), g) for k, g in groups[dim].items()),
                             key=lambda r: (-r["count"], str(r["label"])))
    titles = {"sector": _("By sector"), "filiere": _("By value chain"), "region": _("By region"),
              "kind": _("By kind of project"), "sex": _("By sex of the lead promoter")}
    result["groups"] = [[str(titles[d]), result[d]] for d in dims]
    return result
