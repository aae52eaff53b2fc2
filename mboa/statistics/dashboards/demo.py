"""Demo data of the dashboards area: an example ownership index (labelled as an example)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .models import OwnershipComponent as C
from .models import OwnershipIndexVersion, OwnershipWeight

EXAMPLE_WEIGHTS = {
    C.GTA_TASKS_DONE: "2", C.GTA_TASKS_ON_TIME: "1", C.REFERRALS_ACCEPTED: "2", C.REFERRALS_COMPLETED: "2",
    C.COUNSELLORS_PLACED: "2", C.MEETINGS_CO_CHAIRED: "1", C.MEETING_ATTENDANCE: "1", C.COMMITMENTS_ON_TIME: "2",
    C.AGREEMENTS_SIGNED: "1", C.GTR_RECOMMENDATIONS: "1",
}


def seed(ctx) -> None:
    index, created = OwnershipIndexVersion.objects.get_or_create(version=1, defaults={
        "title": "Exemple de pondération (à remplacer par celle du COPIL)", "adopted_on": dt.date(2026, 1, 15),
        "adopted_by": "Exemple", "is_example": True,
        "note": "Example weights shipped with Mboa to show how the index works; not adopted by the COPIL."})
    ctx.count("ownership index versions", created)
    for component, weight in EXAMPLE_WEIGHTS.items():
        OwnershipWeight.objects.get_or_create(index=index, component=component, defaults={"weight": Decimal(weight)})
