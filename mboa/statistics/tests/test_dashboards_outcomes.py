"""The dashboards' outcome figures (survival, sustainability scores, feedback, community)
and the ownership page's meetings, against fixtures with known counts (in the database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

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


# --- the outcome figures -----------------------------------------------------------------

STAFF_TEXT = "Texte confidentiel Zzyzx sur un agent"


@pytest.fixture
def outcomes(case_manager, insertion_counsellor):
    """Known counts (relative to today):

    - survival: three projects in the Littoral (two led by men, one by a woman). A installed
      13 months ago, running at 12 months; B installed 13 months ago, stopped at 6 months;
      C (woman) installed 7 months ago, running at 6 months. At 6 months: 2 of 3 survive
      (66.7 %); at 12 months: 1 of 2 (50 %).
    - scores (example weight set, adopted): five surveys at intake (composite 0.4 to 0.8:
      mean 0.6) and three at 6 months (fewer than 5: count only).
    - feedback: three received 20 days ago: F1 complaint by phone, answered after 1 day and
      closed after 10 (within both targets); F2 complaint in person, answered after 5 days, not
      closed (late answer; closure due, not within); F3 against staff, in person, closed after
      2 days. Medians: first response 2 days (1, 2, 5), closure 6 days (2, 10).
      Satisfaction: two answers, 4 and 5, after a project was installed (mean 4.5).
    - community: one running project in the Centre with 12 beneficiaries (7 F, 5 M) and two
      awareness activities (audience 40 + 60).
    """
    from mboa.actors.models import Region, Structure
    from mboa.cases.tests.factories import make_case
    from mboa.monitoring.feedback.models import (
        AwarenessActivity,
        CommunityBeneficiaries,
        CommunityProject,
        Feedback,
        FeedbackCategory,
        SatisfactionScore,
    )
    from mboa.monitoring.surveys.models import Survey, SurveyScore, SurveyVersion, WeightSet
    from mboa.projects.followup import add_months
    from mboa.projects.models import Dossier, FollowUpVisit
    from mboa.projects.tests.factories import make_dossier

    today = timezone.localdate()
    now = timezone.now()
    dossiers = []
    for name, sex, installed_months, visit_months, status in (("A", "M", 13, 12, "running"),
                                                              ("B", "M", 13, 6, "stopped"),
                                                              ("C", "F", 7, 6, "running")):
        dossier = make_dossier(by=insertion_counsellor, title=f"Projet {name}", sex=sex, region="LT")
        dossiers.append(dossier)
        installed = add_months(today, -installed_months)
        Dossier.objects.filter(pk=dossier.pk).update(status="installed", installed_on=installed, lead_sex=sex,
                                                     region_id="LT")
        FollowUpVisit.objects.create(dossier=dossier, state="done", milestone_months=visit_months,
                                     visited_on=add_months(installed, visit_months), months_after=visit_months,
                                     status=status)

    weights = WeightSet.objects.create(number=1, label="Exemple", is_example=True, is_current=True)
    version = SurveyVersion.objects.create(number=1, title="v1")
    for n, composite in enumerate((Decimal("0.4"), Decimal("0.5"), Decimal("0.6"), Decimal("0.7"), Decimal("0.8"))):
        case = make_case(by=case_manager, family_name=f"Sonde{n}")
        survey = Survey.objects.create(case=case, round="intake", version=version, collected_on=today)
        SurveyScore.objects.create(survey=survey, weight_set=weights, economic=composite, social=composite,
                                   psychosocial=composite, composite=composite)
        if n < 3:
            later = Survey.objects.create(case=case, round="m6", version=version, collected_on=today)
            SurveyScore.objects.create(survey=later, weight_set=weights, economic=1, social=1, psychosocial=1,
                                       composite=1)

    t = now - dt.timedelta(days=20)
    category = FeedbackCategory.objects.exclude(code="staff_conduct").first()
    for number, kind, channel, responded, closed, staff, text in (
            ("F1", "complaint", "phone", 1, 10, False, "f1"), ("F2", "complaint", "in_person", 5, None, False, "f2"),
            ("F3", "complaint", "in_person", 2, 2, True, STAFF_TEXT)):
        Feedback.objects.create(
            number=number, kind=kind, channel=channel, category=category, against_staff=staff, text=text,
            received_at=t, status="closed" if closed else "answered", region_id="CE",
            first_response_at=t + dt.timedelta(days=responded), first_response_seconds=responded * 86400,
            closed_at=t + dt.timedelta(days=closed) if closed else None,
            closure_seconds=closed * 86400 if closed else None)
    for score, dossier in zip((4, 5), dossiers, strict=False):
        SatisfactionScore.objects.create(step="project", dossier=dossier, score=score, asked_at=now, answered_at=now,
                                         region_id="CE")

    centre = Region.objects.get(code="CE")
    project = CommunityProject.objects.create(reference="CP-1", title="Puits", region=centre, status="running",
                                              started_on=today, budget_xaf=1_000_000, returnees=3,
                                              structure=Structure.objects.get(code="MINJEC"))
    CommunityBeneficiaries.objects.create(project=project, sex="F", age_group="18-24", count=7)
    CommunityBeneficiaries.objects.create(project=project, sex="M", age_group="25-34", count=5)
    for n, size in enumerate((40, 60)):
        AwarenessActivity.objects.create(reference=f"AW-{n}", title="Causerie", held_on=today, region=centre,
                                         place="Mfou", audience_kind="youth", audience_size=size)
    return {"today": today, "now": now}


def _figures(filters=None, *, now=None):
    from mboa.statistics.dashboards.outcomes import outcome_sections

    now = now or timezone.now()
    return {f.key: f for _title, figures in outcome_sections(filters or Filters(), now=now,
                                                              today=timezone.localdate(now)) for f in figures}


def test_survival_at_6_and_12_months_by_sex_and_in_total(outcomes):
    figures = _figures()
    assert figures["survival_total"].rows == [[figures["survival_total"].rows[0][0], 3, 2, 66.7, 2, 1, 50.0]]
    assert sorted(r[1:] for r in figures["survival_sex"].rows) == [[1, 1, 100.0, None, None, None],
                                                                   [2, 1, 50.0, 2, 1, 50.0]]
    assert {f"survival_{d}" for d in ("sector", "filiere", "region", "kind", "sex")} <= set(figures)
    # The region filter applies (period on installation: none installed in the last month).
    assert _figures(Filters(region="CE"))["survival_total"].rows == []
    assert _figures(Filters(start=outcomes["today"]))["survival_total"].rows == []


def test_scores_by_round_under_the_example_weights_and_small_cells_suppressed(outcomes):
    figure = _figures()["scores_round"]
    assert len(figure.rows) == 2
    intake, six = figure.rows[0][1:], figure.rows[1][1:]
    assert intake == [5, 0.6, 0.6, 0.6, 0.6]
    assert six == [3, None, None, None, None]  # fewer than 5 surveys: the count only
    assert "Exemple" in str(figure.note) and "1" in str(figure.note)
    assert "example" in str(figure.note).lower() or "exemple" in str(figure.note).lower()


def test_feedback_handling_counts_medians_and_shares(outcomes):
    figures = _figures()
    handling = [r[1] for r in figures["feedback_handling"].rows]
    # received, complaints, against staff, not closed, median first response, median closure,
    # answered within 3 days (F1, F3 of 3), closed within 14 days (F1, F3 of F1, F2, F3 all due)
    assert handling == [3, 3, 1, 1, 2.0, 6.0, 66.7, 66.7]
    channels = {str(r[0]): r[1] for r in figures["feedback_channel"].rows}
    assert sorted(channels.values()) == [0, 0, 1, 2]
    assert [r[1:] for r in figures["satisfaction_step"].rows if r[1]] == [[2, 4.5]]
    assert _figures(Filters(region="LT"))["feedback_handling"].rows == []
    # "unknown" age cannot be applied to feedback: the figure says so rather than claiming it
    unknown_age = _figures(Filters(age_group="unknown"))["feedback_handling"]
    assert "age_group" not in unknown_age.applies and unknown_age.total == 3
    assert "age_group" in figures["feedback_handling"].applies


def test_community_figures(outcomes):
    figures = _figures()
    summary = [r[1] for r in figures["community_summary"].rows]
    assert summary == [1, 1_000_000, 3, 12, 2, 100, 0]
    assert sorted(r[1] for r in figures["community_beneficiaries_sex"].rows) == [5, 7]
    assert _figures(Filters(sex="F"))["community_beneficiaries_sex"].total == 7


def test_the_dashboard_page_shows_the_outcomes_never_a_complaint_against_staff(client_for, donor, outcomes):
    response = client_for(donor).get(reverse("statistics:dashboards_index"))
    body = response.content.decode()
    for key in ("survival_total", "survival_sector", "scores_round", "feedback_handling", "satisfaction_step",
                "community_summary", "awareness_audience"):
        assert f'data-testid="figure-{key}"' in body
    assert 'data-testid="coming-next"' not in body
    assert STAFF_TEXT not in body
    assert reverse("projects:survival") in body  # the donor may read the survival page
    xlsx = client_for(donor).get(reverse("statistics:dashboards_xlsx"), {"figure": "survival_total"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    everything = client_for(donor).get(reverse("statistics:dashboards_xlsx"))
    assert STAFF_TEXT.encode() not in everything.content
