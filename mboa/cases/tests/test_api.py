"""The API is scoped as the pages: psychosocial notes, 404 for others, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from mboa.cases import services
from mboa.core.models import SensitiveAccess

from .factories import CounsellorFactory, make_case

pytestmark = pytest.mark.django_db
SECRET = "Flashbacks of detention"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def setup(case_manager):
    insertion = CounsellorFactory(kind="insertion")
    psy = CounsellorFactory(kind="psychosocial")
    case = make_case(by=case_manager)
    case = services.case_assign(case=case, counsellor=insertion, by=case_manager)
    case = services.case_assign(case=case, counsellor=psy, by=case_manager)
    services.session_record(case=case, by=psy.user, kind="psychosocial", held_on=timezone.localdate(), notes=SECRET)
    return case, insertion, psy


def test_session_notes_hidden_from_insertion_counsellor_in_api(setup):
    _case, insertion, psy = setup
    rows = api(insertion.user).get("/api/v1/sessions/").json()["results"]
    assert len(rows) == 1 and rows[0]["notes"] is None and rows[0]["notes_restricted"] is True
    rows = api(psy.user).get("/api/v1/sessions/").json()["results"]
    assert rows[0]["notes"] == SECRET
    assert SensitiveAccess.objects.filter(user=psy.user, channel="api").count() == 1


def test_focal_point_sees_no_case_or_session(setup, fp_minas, fp_minsante):
    case, _i, _p = setup
    for user in (fp_minas, fp_minsante):
        assert api(user).get(f"/api/v1/cases/{case.pk}/").status_code in (403, 404)
        assert api(user).get("/api/v1/sessions/").status_code in (200, 403)
        response = api(user).get("/api/v1/sessions/")
        assert SECRET not in response.content.decode()


def test_other_counsellor_gets_404(setup):
    case, _i, _p = setup
    stranger = CounsellorFactory()
    assert api(stranger.user).get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_case_list_api_query_count_is_constant(case_manager):
    counsellor = CounsellorFactory()
    client = api(case_manager)

    def count():
        client.get("/api/v1/cases/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/cases/").status_code == 200
        return len(queries)

    services.case_assign(case=make_case(by=case_manager), counsellor=counsellor, by=case_manager)
    few = count()
    for i in range(10):
        services.case_assign(case=make_case(by=case_manager, family_name=f"Nkou{i}"), counsellor=counsellor,
                             by=case_manager)
    assert count() == few


def test_api_transition_consent_and_assessment(setup, case_manager):
    case, insertion, _psy = setup
    client = api(insertion.user)
    response = client.post(f"/api/v1/cases/{case.pk}/transition/", {"action": "orient"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "orientation"
    response = client.post(f"/api/v1/cases/{case.pk}/transition/", {"action": "close"}, format="json")
    assert response.status_code == 400
    response = client.post("/api/v1/consents/", {"case": case.pk, "purpose": "referral", "method": "signed",
                                                  "structures": ["MINEFOP"]}, format="json")
    assert response.status_code == 201, response.content
    response = client.post("/api/v1/assessments/", {"case": case.pk, "kind": "needs", "answers": {
        "housing": "none", "priority_needs": ["housing"]}}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["form_version"] == 1
    stranger = CounsellorFactory()
    response = api(stranger.user).post("/api/v1/assessments/", {"case": case.pk, "kind": "needs", "answers": {}},
                                       format="json")
    assert response.status_code == 404  # not a case they may see: hidden, as on the page


def test_niches_api_readable_by_all_editable_by_fne(make_user, fp_minsante):
    assert api(fp_minsante).get("/api/v1/niches/").status_code == 200
    payload = {"region": "CE", "filiere": "aviculture", "rationale": "Urban demand", "investment_min_xaf": 300000,
               "investment_max_xaf": 800000, "source": "FNE", "source_date": "2024-01-01"}
    assert api(fp_minsante).post("/api/v1/niches/", payload, format="json").status_code == 403
    fne = make_user("FNE", ("focal_point",))
    response = api(fne).post("/api/v1/niches/", payload, format="json")
    assert response.status_code == 201 and response.json()["sector"] == "elevage"


def test_api_lists_and_case_log_one_read_per_response(case_manager):
    from mboa.cases import assessments

    cases = [make_case(by=case_manager, family_name=f"Nom{i}") for i in range(3)]
    for case in cases:
        assessments.assessment_record(case=case, kind="vulnerability", by=case_manager,
                                      answers={"categories": ["medical"]})
    client = api(case_manager)
    assert len(client.get("/api/v1/cases/").json()["results"]) == 3
    assert len(client.get("/api/v1/assessments/").json()["results"]) == 3
    assert client.get(f"/api/v1/cases/{cases[0].pk}/").status_code == 200
    reads = list(SensitiveAccess.objects.filter(user=case_manager, channel="api").order_by("id"))
    assert [(r.target_type.model, len(r.target_ids) or r.target_id) for r in reads] == [
        ("person", 3), ("assessment", 3), ("person", str(cases[0].person_id))]
    assert api(case_manager).get("/api/v1/sessions/").json()["results"] == []
    assert SensitiveAccess.objects.filter(user=case_manager).count() == 3  # nothing shown, nothing logged


def test_api_writes_answer_404_for_a_case_the_user_may_not_see(setup):
    case, _insertion, _psy = setup
    stranger = CounsellorFactory()
    client = api(stranger.user)
    assert client.post(f"/api/v1/cases/{case.pk}/transition/", {"action": "orient"}, format="json").status_code == 404
    assert client.post("/api/v1/consents/", {"case": case.pk, "purpose": "assistance", "method": "signed"},
                       format="json").status_code == 404
    assert client.post("/api/v1/sessions/", {"case": case.pk, "kind": "follow_up", "held_on": "2026-01-01"},
                       format="json").status_code == 404


@pytest.mark.parametrize(("changes", "field"), [
    ({"notes": "x" * 2_000_000}, "notes"),
    ({"held_on": "0272-05-01"}, "held_on"),
])
def test_a_session_with_a_huge_note_or_a_date_in_year_272_is_refused_with_the_field_named(setup, changes, field):
    case, _insertion, psy = setup
    before = case.sessions.count()
    response = api(psy.user).post("/api/v1/sessions/", {"case": case.pk, "kind": "psychosocial",
                                                        "held_on": timezone.localdate().isoformat(), **changes},
                                  format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body.get("field") == field or field in body, body
    assert case.sessions.count() == before
