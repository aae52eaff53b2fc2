"""Niche ranking on a small fixture, and the all-or-nothing XLSX import."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from mboa.actors.models import Region
from mboa.cases import assessments, niches
from mboa.cases.models import Filiere, Niche
from mboa.core.errors import ApplicationError

from .factories import make_case

pytestmark = pytest.mark.django_db


def _niche(region, code, low=300_000):
    filiere = Filiere.objects.get(code=code)
    return Niche.objects.create(region=region, sector=filiere.sector, filiere=filiere, rationale="r",
                                investment_min_xaf=low, investment_max_xaf=low * 2, source="FNE",
                                source_date=dt.date(2024, 1, 1))


def test_ranking_follows_skills_then_past_outcomes(case_manager):
    centre, littoral = Region.objects.get(code="CE"), Region.objects.get(code="LT")
    for code in ("aviculture", "couture", "boutique", "pisciculture"):
        _niche(centre, code)
    _niche(littoral, "mecanique")
    case = make_case(by=case_manager, city="Yaoundé")
    # Without a skills assessment: cheapest first, all four of the Centre, none of the Littoral.
    assert {s.niche.filiere_id for s in niches.niche_suggestions(case=case)} == {
        "aviculture", "couture", "boutique", "pisciculture"}
    assessments.assessment_record(case=case, kind="skills", by=case_manager, answers={
        "education": "secondary", "interests": ["couture"], "trades": ["porciculture"],
        "experience_abroad": "Worked two years on a chicken farm in Libya"})
    ranked = [s.niche.filiere_id for s in niches.niche_suggestions(case=case)]
    # couture (interest 3) > aviculture (experience 1 + livestock sector like pig farming 1) > pisciculture (sector 1)
    assert ranked[:3] == ["couture", "aviculture", "pisciculture"]
    outcomes = {"boutique": {"approval_rate": 1.0, "survival_rate": 0.9, "projects": 40},
                "pisciculture": {"approval_rate": 0.5, "survival_rate": 0.2, "projects": 3}}  # too few to count
    ranked = niches.niche_suggestions(case=case, outcomes=outcomes)
    # boutique: 2 × 100% approved × 90% still running = 1.8, above the sector match (1)
    assert [s.niche.filiere_id for s in ranked] == ["couture", "aviculture", "boutique", "pisciculture"]
    boutique = next(s for s in ranked if s.niche.filiere_id == "boutique")
    assert boutique.score == 1.8 and "90%" in " ".join(boutique.reasons)


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(niches.IMPORT_COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_xlsx_import_is_all_or_nothing_and_names_row_and_column(admin):
    good = ["CE", "", "aviculture", "Demand in Yaoundé", 300000, 900000, "FNE 2024", dt.date(2024, 3, 1)]
    bad = ["Littoral", "Wouri", "Spaceships", "x", "lots", 100, "", "2024-13-01"]
    with pytest.raises(ApplicationError) as error:
        niches.niche_import_xlsx(file=_xlsx([good, bad]), by=admin)
    errors = error.value.extra["errors"]
    assert "row 3, column filiere" in errors[0]
    assert any("row 3, column investment_min_xaf" in e for e in errors)
    assert any("row 3, column source_date" in e for e in errors)
    assert not Niche.objects.exists()
    result = niches.niche_import_xlsx(file=_xlsx([good, ["Littoral", "Wouri", "Couture", "Port city", "200 000",
                                                         "500000", "MINJEC", "2024-05-01"]]), by=admin)
    assert result == {"created": 2, "updated": 0}
    assert Niche.objects.get(filiere_id="couture").department.name == "Wouri"
    again = niches.niche_import_xlsx(file=_xlsx([good]), by=admin)
    assert again == {"created": 0, "updated": 1}


def test_only_fne_and_minjec_edit_the_map(fp_minsante, make_user):
    with pytest.raises(PermissionDenied):
        niches.niche_import_xlsx(file=_xlsx([]), by=fp_minsante)
    fne = make_user("FNE", ("focal_point",))
    filiere = Filiere.objects.get(code="apiculture")
    with pytest.raises(ApplicationError) as error:
        niches.niche_save(by=fne, data={"region": Region.objects.get(code="AD"), "filiere": filiere,
                                        "rationale": "Honey", "investment_min_xaf": 100, "investment_max_xaf": 50,
                                        "source": "FNE", "source_date": dt.date(2024, 1, 1)})
    assert error.value.field == "investment_max_xaf"
    niche = niches.niche_save(by=fne, data={"region": Region.objects.get(code="AD"), "filiere": filiere,
                                            "rationale": "Honey", "investment_min_xaf": 100_000,
                                            "investment_max_xaf": 400_000, "source": "FNE",
                                            "source_date": dt.date(2024, 1, 1)})
    assert niche.sector_id == "elevage"


def test_import_page_lists_faults_and_niche_page_is_read_by_all(client_for, make_user, fp_minsante):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    minjec = make_user("MINJEC", ("focal_point",))
    bad = _xlsx([["CE", "", "aviculture", "x", "abc", 10, "FNE", "2024-01-01"]]).getvalue()
    response = client_for(minjec).post(reverse("cases:niche_import"), {
        "file": SimpleUploadedFile("map.xlsx", bad)})
    assert response.status_code == 400
    assert "row 2, column investment_min_xaf" in response.content.decode()
    good = _xlsx([["CE", "", "aviculture", "Urban demand", 300000, 900000, "FNE", "2024-01-01"]]).getvalue()
    response = client_for(minjec).post(reverse("cases:niche_import"), {"file": SimpleUploadedFile("map.xlsx", good)})
    assert response.status_code == 302
    assert "Urban demand" in client_for(fp_minsante).get(reverse("cases:niche_list")).content.decode()
    assert client_for(fp_minsante).get(reverse("cases:niche_import")).status_code == 403


def test_a_partial_update_of_the_investment_range_is_checked_against_the_other_bound(client_for, admin):
    """PATCH of one bound below the other was a 500 (the database's check); now a 400 on the field."""
    niche = _niche(Region.objects.get(code="AD"), "apiculture", low=300_000)
    response = client_for(admin).patch(f"/api/v1/niches/{niche.pk}/", {"investment_max_xaf": 1000},
                                       content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "investment_max_xaf"
    niche.refresh_from_db()
    assert niche.investment_max_xaf == 600_000
