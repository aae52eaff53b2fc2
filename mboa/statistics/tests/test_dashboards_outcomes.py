"""The dashboards' outcome figures (survival, sustainability scores, feedback, community)
and the ownership page's meetings, against fixtures with known counts (in the database)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mboa.statistics.dashboards import ownership
from mboa.statistics.dashboards.figures import Filters
from mboa.statistics.dashboards.models import OwnershipComponent

pytestmark = pytest.mark.django_db


# --- ownership: meetings whose minutes are approved were held too ---------------------------

def test_meetings_with_approved_minutes_count_as_held(client_for, secretariat):
    from mboa.actors.models import Structure
    from mboa.governance.models import Invitation
    from mboa.governance.tests.factories import MeetingFactory

    held = MeetingFactory(held=True)
    approved = MeetingFactory(held=True, status="minutes_approved")
    MeetingFactory()  # planned: not held, not counted
    minjec = Structure.objects.get(code="MINJEC")
    Invitation.objects.create(meeting=held, structure=minjec, attendance="present")
    Invitation.objects.create(meeting=approved, structure=minjec, attendance="present")

    data = ownership.meetings(Filters())
    assert data[OwnershipComponent.MEETINGS_CO_CHAIRED].denominator == 2
    attendance = data[OwnershipComponent.MEETING_ATTENDANCE]
    assert (attendance.numerator, attendance.denominator) == (2, 2)
    assert attendance.by_structure["MINJEC"] == (2, 2)
    response = client_for(secretariat).get(reverse("statistics:dashboards_ownership"))
    assert response.status_code == 200
    components = next(f for f in response.context["figures"] if f.key == "ownership_components")
    shown = {row[0]: row[2:] for row in components.rows}
    assert shown[str(OwnershipComponent.MEETING_ATTENDANCE.label)] == [2, 2]
