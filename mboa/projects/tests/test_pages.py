import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mboa.core.models import SensitiveAccess
from mboa.projects import services
from mboa.projects.models import Dossier, DossierStatus, Review

from .factories import make_dossier, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def parijedi_counsellor(make_user):
    return make_user("PARIJEDI", ("insertion_counsellor",))


def _session(secretariat, counsellor, reviewers=(), n=3):
    session = make_session(by=secretariat)
    services.agenda_add(session=session, by=secretariat, dossiers=[make_dossier(by=counsellor) for _ in range(n)])
    if reviewers:
        services.session_reviewers_set(session=session, by=secretariat, reviewers=reviewers)
    return session


def test_dossier_list_scoped_and_query_count(client_for, insertion_counsellor, parijedi_counsellor):
    for _ in range(3):
        make_dossier(by=insertion_counsellor)
    make_dossier(by=parijedi_counsellor, title="Poulailler PARIJEDI")
    client = client_for(insertion_counsellor)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("projects:dossier_list"))
    assert response.status_code == 200
    assert "Poulailler PARIJEDI" not in response.content.decode()
    assert response.content.decode().count('href="/projects/PRJ-') == 3
    few = len(ctx)
    for _ in range(5):
        make_dossier(by=insertion_counsellor)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("projects:dossier_list"))
    assert len(ctx) == few  # no query per row


def test_other_structure_gets_404(client_for, insertion_counsellor, parijedi_counsellor):
    dossier = make_dossier(by=insertion_counsellor)
    client = client_for(parijedi_counsellor)
    assert client.get(reverse("projects:dossier_detail", args=[dossier.reference])).status_code == 404
    assert client.get(reverse("projects:decision_letter", args=[dossier.reference])).status_code == 404
    assert client.post(reverse("projects:dossier_submit", args=[dossier.reference])).status_code == 404
    assert client.get(reverse("api:project-dossier-detail", args=[dossier.reference])).status_code == 404


def test_dossier_page_shows_profitability_breaches_and_logs_read(client_for, insertion_counsellor):
    dossier = make_dossier(by=insertion_counsellor, submit=False, returned_days_ago=5)
    response = client_for(insertion_counsellor).get(reverse("projects:dossier_detail", args=[dossier.reference]))
    text = response.content.decode()
    assert "100000 XAF" in text  # monthly margin
    assert 'data-testid="breaches"' in text and "(30 days after return)" in text
    assert SensitiveAccess.objects.filter(user=insertion_counsellor, target_id=str(dossier.pk)).exists()


def test_create_dossier_through_the_form(client_for, insertion_counsellor, case_manager):
    from mboa.cases.models import Case
    from mboa.cases.tests.factories import CounsellorFactory, make_case
    from mboa.registry.tests.factories import PersonFactory

    person = PersonFactory()
    # A member from the registry is someone the counsellor may see: the person of one of their cases.
    counsellor = CounsellorFactory(user=insertion_counsellor, structure=insertion_counsellor.structure)
    Case.objects.filter(pk=make_case(by=case_manager, person=person).pk).update(insertion_counsellor=counsellor)
    data = {"kind": "individual", "title": "Atelier de couture", "filiere": "couture", "region": "CE",
            "town": "Yaoundé", "description": "Couture de tenues", "contribution_xaf": "0",
            "monthly_revenue_xaf": "200000", "monthly_costs_xaf": "120000",
            "members-TOTAL_FORMS": "2", "members-INITIAL_FORMS": "0", "members-0-person": str(person.pk),
            "members-0-sex": "F", "members-0-returned_on": "2026-01-10",
            "members-1-family_name": "", "members-1-sex": "U",
            "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
            "lines-0-item": "Machine à coudre", "lines-0-quantity": "2", "lines-0-unit_cost_xaf": "150000",
            "lines-1-item": "", "lines-1-quantity": "1", "lines-2-quantity": "1"}
    response = client_for(insertion_counsellor).post(reverse("projects:dossier_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get(title="Atelier de couture")
    assert dossier.budget_xaf == 300_000 and dossier.members.get().person == person
    assert dossier.structure.code == "MINJEC" and dossier.sector_id == "artisanat"


def test_donor_sees_synthesis_not_dossiers(client_for, donor, secretariat, insertion_counsellor):
    session = _session(secretariat, insertion_counsellor)
    client = client_for(donor)
    assert client.get(reverse("projects:dossier_list")).status_code == 403
    response = client.get(reverse("projects:session_synthesis", args=[session.reference]))
    assert response.status_code == 200 and "1800000" in response.content.decode()
    assert client.get(reverse("projects:session_detail", args=[session.reference])).status_code == 302


def test_session_page_query_count(client_for, secretariat, insertion_counsellor):
    session = _session(secretariat, insertion_counsellor, n=2)
    client = client_for(secretariat)
    url = reverse("projects:session_detail", args=[session.reference])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    few = len(ctx)
    services.agenda_add(session=session, by=secretariat, dossiers=[make_dossier(by=insertion_counsellor)
                                                                     for _ in range(4)])
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert len(ctx) == few


def test_keyboard_review_flow_answers_with_next_dossier(client_for, secretariat, insertion_counsellor, fp_minas):
    session = _session(secretariat, insertion_counsellor, reviewers=[fp_minas], n=2)
    first, second = session.items.order_by("position")
    client = client_for(fp_minas)
    start = client.get(reverse("projects:review", args=[session.reference]))
    assert start.url == reverse("projects:review_item", args=[session.reference, first.pk])
    scores = {"profitability": "4", "viability": "4", "relevance": "3", "feasibility": "5", "comment": "Bien"}
    response = client.post(start.url, scores, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'data-dossier="{second.dossier.reference}"' in response.content.decode()
    assert response["HX-Push-Url"].endswith(f"/{second.pk}/")
    assert Review.objects.get(item=first, reviewer=fp_minas).combined == pytest.approx(4.0)
    bad = client.post(reverse("projects:review_item", args=[session.reference, second.pk]),
                      {**scores, "viability": "9"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400
    last = client.post(reverse("projects:review_item", args=[session.reference, second.pk]), scores,
                       HTTP_HX_REQUEST="true")
    assert last.status_code == 204 and last["HX-Redirect"].endswith(f"/sessions/{session.reference}/")


def test_non_reviewer_cannot_score(client_for, secretariat, insertion_counsellor, fp_minas, fp_minsante, make_user):
    session = _session(secretariat, insertion_counsellor, reviewers=[fp_minas], n=1)
    item = session.items.get()
    url = reverse("projects:review_item", args=[session.reference, item.pk])
    scores = {"profitability": 1, "viability": 1, "relevance": 1, "feasibility": 1}
    # A GTR member who is not a reviewer of this session: refused.
    assert client_for(make_user("MINEFOP", ("focal_point",))).post(url, scores).status_code == 403
    # MINSANTE does not sit on the GTR: the session does not exist for it.
    assert client_for(fp_minsante).post(url, scores).status_code == 404
    assert not Review.objects.exists()


def test_batch_determination_confirm_then_undo(client_for, secretariat, insertion_counsellor):
    session = _session(secretariat, insertion_counsellor, n=3)
    ids = list(session.items.values_list("pk", flat=True))
    client = client_for(secretariat)
    url = reverse("projects:session_determine", args=[session.reference])
    confirm = client.post(url, {"items": ids, "outcome": "approved"})
    assert confirm.status_code == 200 and b'data-testid="confirm"' in confirm.content
    assert not Dossier.objects.filter(status=DossierStatus.APPROVED).exists()  # nothing yet
    client.post(url, {"items": ids, "outcome": "approved", "confirm": "1"})
    assert Dossier.objects.filter(status=DossierStatus.APPROVED).count() == 3
    batch = session.batches.get()
    page = client.get(reverse("projects:session_detail", args=[session.reference])).content.decode()
    assert f'data-testid="undo-{batch.pk}"' in page
    client.post(reverse("projects:batch_undo", args=[session.reference, batch.pk]))
    assert Dossier.objects.filter(status=DossierStatus.ON_AGENDA).count() == 3


def test_minutes_page_runs_the_task_and_offers_download(client_for, secretariat, insertion_counsellor,
                                                        django_capture_on_commit_callbacks):
    session = _session(secretariat, insertion_counsellor, n=2)
    services.determinations_record(session=session, by=secretariat, items=list(session.items.all()),
                                   outcome="approved")
    client = client_for(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("projects:minutes", args=[session.reference]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    status = client.get(reverse("projects:minutes", args=[session.reference]) + "?format=json").json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["url"] == reverse("projects:minutes_download", args=[session.reference])  # never at /media/
    pdf = client.get(status["url"])
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment") and pdf["X-Content-Type-Options"] == "nosniff"
    pdf.close()


# --- API -------------------------------------------------------------------------------------


def test_api_dossier_list_scoped_with_constant_queries(client_for, insertion_counsellor, parijedi_counsellor):
    make_dossier(by=insertion_counsellor)
    make_dossier(by=parijedi_counsellor)
    client = client_for(insertion_counsellor)
    with CaptureQueriesContext(connection) as ctx:
        data = client.get(reverse("api:project-dossier-list")).json()
    assert data["count"] == 1
    few = len(ctx)
    for _ in range(4):
        make_dossier(by=insertion_counsellor)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("api:project-dossier-list")).json()["count"] == 5
    assert len(ctx) == few


def test_api_review_determine_undo(client_for, secretariat, insertion_counsellor, fp_minas, fp_minsante, make_user):
    session = _session(secretariat, insertion_counsellor, reviewers=[fp_minas], n=2)
    items = list(session.items.values_list("pk", flat=True))
    scores = {"item": items[0], "profitability": 3, "viability": 3, "relevance": 3, "feasibility": 3}
    # As on the page: MINSANTE does not see the GTR's sessions (404); a GTR member who is not
    # a reviewer of this session sees the dossier but may not score it (403).
    assert client_for(fp_minsante).post(reverse("api:project-review-list"), scores).status_code == 404
    not_reviewer = make_user("MINEFOP", ("focal_point",))
    assert client_for(not_reviewer).post(reverse("api:project-review-list"), scores).status_code == 403
    response = client_for(fp_minas).post(reverse("api:project-review-list"), scores)
    assert response.status_code == 201 and response.json()["combined"] == 3.0
    bad = client_for(fp_minas).post(reverse("api:project-review-list"), {**scores, "relevance": 8})
    assert bad.status_code == 400 and bad.json()["field"] == "relevance"
    client = client_for(secretariat)
    batch = client.post(reverse("api:validation-session-determine", args=[session.reference]),
                        {"items": items, "outcome": "rejected"}, content_type="application/json")
    assert batch.status_code == 400 and "reasons" in batch.json()["detail"]
    batch = client.post(reverse("api:validation-session-determine", args=[session.reference]),
                        {"items": items, "outcome": "rejected", "reasons": "Hors secteur"},
                        content_type="application/json").json()
    assert batch["count"] == 2
    undone = client.post(reverse("api:validation-session-undo", args=[session.reference, batch["id"]]))
    assert undone.status_code == 200 and undone.json()["undone_at"]
    synthesis = client.get(reverse("api:validation-session-synthesis", args=[session.reference])).json()
    assert synthesis["total"]["count"] == 2 and synthesis["total"]["outcomes"] == {"pending": 2}


def test_versions_page_and_amendment_checklist_through_pages(client_for, secretariat, insertion_counsellor,
                                                             case_manager):
    session = _session(secretariat, insertion_counsellor, n=1)
    item = session.items.get()
    client = client_for(secretariat)
    client.post(reverse("projects:item_detail", args=[session.reference, item.pk]),
                {"action": "determine", "outcome": "amendments", "reasons": "",
                 "amendments": "Joindre deux devis | Promoteur\nRevoir les charges | Conseiller"})
    dossier = Dossier.objects.get(pk=item.dossier_id)
    assert dossier.status == DossierStatus.AMENDMENTS
    services.dossier_edit(dossier=dossier, by=insertion_counsellor, data={"monthly_costs_xaf": 140_000})
    services.dossier_submit(dossier=dossier, by=insertion_counsellor)
    diff = client_for(insertion_counsellor).get(reverse("projects:dossier_diff", args=[dossier.reference]) + "?a=1&b=2")
    assert diff.status_code == 200 and "140000" in diff.content.decode()
    client = client_for(case_manager)
    detail = reverse("projects:dossier_detail", args=[dossier.reference])
    amendments = list(services.open_amendment_determination(dossier).amendments.all())
    client.post(reverse("projects:amended_approve", args=[dossier.reference]))
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.RESUBMITTED  # refused: nothing ticked
    for amendment in amendments:
        client.post(reverse("projects:amendment_tick", args=[dossier.reference, amendment.pk]))
    assert "✔" in client.get(detail).content.decode()
    client.post(reverse("projects:amended_approve", args=[dossier.reference]))
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.APPROVED


# --- Reads of the members' names are logged by the selectors ---------------------------------


def _reads(user, dossier, purpose):
    return SensitiveAccess.objects.filter(user=user, target_id=str(dossier.pk), purpose=purpose)


def test_every_page_showing_the_members_logs_the_read(client_for, secretariat, insertion_counsellor, fp_minas):
    session = _session(secretariat, insertion_counsellor, reviewers=[fp_minas], n=1)
    item = session.items.select_related("dossier").get()
    dossier = item.dossier
    client = client_for(insertion_counsellor)
    assert client.get(reverse("projects:dossier_edit", args=[dossier.reference])).status_code == 200
    assert _reads(insertion_counsellor, dossier, "dossier form").get().fields == ["members.family_name",
                                                                                   "members.given_names"]
    assert client.get(reverse("projects:item_detail", args=[session.reference, item.pk])).status_code == 200
    assert _reads(insertion_counsellor, dossier, "session item").count() == 1
    assert client.get(reverse("api:project-dossier-detail", args=[dossier.reference])).status_code == 200
    assert _reads(insertion_counsellor, dossier, "dossier").get().channel == "api"
    # A review sent back with its errors shows the sheet, names included, again.
    client = client_for(fp_minas)
    bad = client.post(reverse("projects:review_item", args=[session.reference, item.pk]),
                      {"profitability": 9, "viability": 1, "relevance": 1, "feasibility": 1})
    assert bad.status_code == 400 and "Promoteur0" in bad.content.decode()
    assert _reads(fp_minas, dossier, "review").count() == 1


def test_reviewers_are_chosen_among_the_gtr_members_staff(client_for, secretariat, insertion_counsellor, fp_minas,
                                                          fp_minsante):
    session = _session(secretariat, insertion_counsellor, n=1)
    client_for(secretariat).post(reverse("projects:session_reviewers", args=[session.reference]),
                                 {"reviewers": [fp_minas.pk, fp_minsante.pk]})
    # MINSANTE does not sit on the GTR: it is not offered, and a forged form does not make it a reviewer.
    assert list(session.reviewers.all()) == [fp_minas]
