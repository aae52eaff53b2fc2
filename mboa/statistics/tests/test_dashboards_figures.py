"""Every dashboard figure against a fixture with known counts (built in the database, not mocked)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mboa.statistics.dashboards import figures
from mboa.statistics.dashboards.figures import Filters

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 6, 15, 12, 0))


def _at(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h, 0))


@pytest.fixture
def known(case_manager, insertion_counsellor):
    """Two arrivals (LY in January 2026: 3 returnees; NE in March 2026: 2), cases, referrals,
    agreements, dossiers and commitments with counts stated in each test."""
    from mboa.actors.models import Region, Structure
    from mboa.cases.models import Case, CaseVulnerability, Counsellor
    from mboa.cases.tests.factories import make_case
    from mboa.governance.tests.factories import CommitmentFactory
    from mboa.projects.models import Dossier
    from mboa.reception.tests.factories import ArrivalFactory, PassengerFactory
    from mboa.referrals.models import Agreement, Referral, Service

    jan = ArrivalFactory(departure_country="LY", expected_at=_at(2026, 1, 10), status="completed")
    mar = ArrivalFactory(departure_country="NE", expected_at=_at(2026, 3, 5), status="completed")
    ArrivalFactory(departure_country="DZ", expected_at=_at(2026, 2, 1), status="cancelled")
    counsellor = Counsellor.objects.create(user=insertion_counsellor, kind="insertion",
                                           structure=Structure.objects.get(code="MINJEC"), city="Yaoundé")
    lt, ce = Region.objects.get(code="LT"), Region.objects.get(code="CE")
    people = [  # (arrival, sex, birth year, region of the case or None)
        (jan, "M", 2000, lt), (jan, "F", 1990, lt), (jan, "M", 2010, None), (mar, "F", 1970, ce), (mar, "M", None, None),
    ]
    passengers = []
    for arrival, sex, year, region in people:
        case = None
        if region is not None:
            case = make_case(by=case_manager, sex=sex, birth_year=year, family_name="Zanga")
            Case.objects.filter(pk=case.pk).update(destination_region=region, opened_at=arrival.expected_at,
                                                   insertion_counsellor=counsellor)
            case.refresh_from_db()
        passengers.append(PassengerFactory(arrival=arrival, sex=sex, birth_year=year, case=case))
    cases = [p.case for p in passengers if p.case]
    CaseVulnerability.objects.create(case=cases[0], category="medical")
    CaseVulnerability.objects.create(case=cases[0], category="debt")
    CaseVulnerability.objects.create(case=cases[2], category="debt")
    Case.objects.filter(pk=cases[2].pk).update(status="closed", closed_at=NOW)
    service = Service.objects.first()
    minas, minsante = Structure.objects.get(code="MINAS"), Structure.objects.get(code="MINSANTE")
    for n, (case, structure, accepted_days, delivered_days) in enumerate(
            [(cases[0], minas, 2, 10), (cases[1], minas, 4, None), (cases[2], minsante, None, None)]):
        sent = _at(2026, 4, 1)
        Referral.objects.create(
            number=f"REF-T-{n}", case=case, service=service, structure=structure, reason="x", sent_at=sent,
            consent_checked=True,
            status="accepted" if accepted_days else "sent",
            accepted_at=sent + dt.timedelta(days=accepted_days) if accepted_days else None,
            delivered_at=sent + dt.timedelta(days=delivered_days) if delivered_days else None)
    for n, status in enumerate(["signed", "signed", "drafting"]):
        Agreement.objects.create(reference=f"AGR-T-{n}", structure=minas, subject="x", status=status,
                                 idea_at=_at(2026, 2, 1))
    for n, (sector, region, sex, status) in enumerate(
            [("commerce", "LT", "F", "installed"), ("commerce", "CE", "M", "approved"), ("agriculture", "LT", "F", "draft")]):
        Dossier.objects.create(reference=f"DOS-T-{n}", structure=Structure.objects.get(code="MINJEC"), title="x",
                               sector_id=sector, region_id=region, lead_sex=sex, status=status,
                               submitted_at=_at(2026, 2, 1))
    minader = Structure.objects.get(code="MINADER")
    CommitmentFactory(structure=minader, deadline=dt.date(2026, 3, 1), status="done", done_on=dt.date(2026, 2, 20))
    CommitmentFactory(structure=minader, deadline=dt.date(2026, 3, 1), status="done", done_on=dt.date(2026, 3, 20))
    CommitmentFactory(structure=minader, deadline=dt.date(2026, 3, 1), status="late")
    CommitmentFactory(structure=minader, deadline=dt.date(2026, 12, 1), status="open")  # not due yet
    return {"cases": cases, "counsellor": counsellor}


def _figure(sections, key):
    return next(f for _t, figs in sections for f in figs if f.key == key)


def _rows(sections, key):
    return {str(r[0]): r[1:] if len(r) > 2 else r[1] for r in _figure(sections, key).rows}


def test_arrival_figures(known):
    sections = figures.dashboard(Filters(), today=NOW.date())
    assert _rows(sections, "arrivals_month") == {"2026-01": 3, "2026-03": 2}  # the cancelled arrival is left out
    assert _rows(sections, "arrivals_country") == {"LY": 3, "NE": 2}
    sex = _rows(sections, "arrivals_sex")
    assert (sex["Female"], sex["Male"], sex["Unknown"]) == (2, 3, 0)
    # Ages at arrival in 2026: 26, 36, 16, 56, unknown.
    assert _rows(sections, "arrivals_age") == {"0-17": 1, "18-24": 0, "25-34": 1, "35-49": 1, "50+": 1, "unknown": 1}
    vulnerability = _rows(sections, "arrivals_vulnerability")
    assert vulnerability["Heavy debt from the journey"] == 2 and vulnerability["Medical needs"] == 1
    assert _figure(sections, "arrivals_month").total == 5


def test_arrival_filters(known):
    assert _rows(figures.dashboard(Filters(sex="F"), today=NOW.date()), "arrivals_country") == {"LY": 1, "NE": 1}
    assert _rows(figures.dashboard(Filters(region="LT"), today=NOW.date()), "arrivals_month") == {"2026-01": 2}
    assert _rows(figures.dashboard(Filters(age_group="50+"), today=NOW.date()), "arrivals_country") == {"NE": 1}
    period = Filters(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert _rows(figures.dashboard(period, today=NOW.date()), "arrivals_month") == {"2026-03": 2}


def test_case_figures(known):
    sections = figures.dashboard(Filters(), today=NOW.date())
    status = _rows(sections, "cases_status")
    assert status["Closed"] == 1 and sum(status.values()) == 3
    counsellor = known["counsellor"]
    assert _rows(sections, "cases_counsellor") == {f"MINJEC · Yaoundé · n°{counsellor.pk}": [3, 2]}
    assert sum(_rows(figures.dashboard(Filters(region="CE"), today=NOW.date()), "cases_status").values()) == 1


def test_referral_and_agreement_figures(known):
    sections = figures.dashboard(Filters(), today=NOW.date())
    # MINAS: 2 received, 2 accepted (after 2 and 4 days: mean 3), 1 delivered after 10 days.
    assert _rows(sections, "referrals_structure") == {"MINAS": [2, 2, 1, 3.0, 10.0], "MINSANTE": [1, 0, 0, None, None]}
    agreements = _rows(sections, "agreements_status")
    assert agreements["Signed"] == 2 and agreements["Drafting"] == 1
    assert _rows(figures.dashboard(Filters(structure="MINSANTE"), today=NOW.date()), "referrals_structure") == {
        "MINSANTE": [1, 0, 0, None, None]}


def test_project_figures(known):
    sections = figures.dashboard(Filters(), today=NOW.date())
    assert sum(_rows(sections, "projects_sector").values()) == 3
    assert _rows(sections, "projects_region") == {"Littoral": 2, "Centre": 1}
    status = _rows(sections, "projects_status")
    assert (status["Installed"], status["Approved"], status["Draft"]) == (1, 1, 1)
    assert _rows(figures.dashboard(Filters(sex="F"), today=NOW.date()), "projects_region") == {"Littoral": 2}


def test_commitments_kept(known):
    sections = figures.dashboard(Filters(), today=NOW.date())
    # Due by mid-June: 3 (the December one is not due); 1 on time, 1 late, 1 not kept.
    assert _rows(sections, "commitments_kept") == {"MINADER": [3, 1, 1, 1]}


def test_region_counts_feed_the_map(known):
    counts = figures.region_counts(Filters())
    assert counts["LT"] == {"returns": 2, "cases": 2, "projects": 2}
    assert counts["CE"] == {"returns": 1, "cases": 1, "projects": 1}


def test_case_and_referral_figures_by_age_group(known):
    # Ages at opening (2026) and at sending (April 2026): 26, 36 and 56.
    young = figures.dashboard(Filters(age_group="25-34"), today=NOW.date())
    assert sum(_rows(young, "cases_status").values()) == 1
    assert _rows(young, "referrals_structure") == {"MINAS": [1, 1, 1, 2.0, 10.0]}
    assert _rows(figures.dashboard(Filters(age_group="50+"), today=NOW.date()), "referrals_structure") == {
        "MINSANTE": [1, 0, 0, None, None]}


def test_without_an_age_group_cases_and_referrals_are_counted_without_reading_people():
    """The age joins every case to its person (and every referral to its case and person): at a
    million returnees that join was most of the ownership page's time (benchmarks/statistics.py)."""
    assert "registry_person" not in str(figures.cases(Filters(region="LT", structure="OIM")).query)
    assert "registry_person" not in str(figures.referrals(Filters(structure="MINAS")).query)
    assert "cases_case" not in str(figures.referrals(Filters(structure="MINAS")).query)
    assert "registry_person" in str(figures.referrals(Filters(age_group="18-24")).query)
