"""Page and API give every persona the same answer to every write of cases, and each
list selector shows exactly what its per-object rule allows (mboa.core.testing).

Writes that exist on the pages only (no API form), so not in the parity list: opening a
case, assigning and reassigning counsellors, asking for and deciding approvals, asking for
and deciding transfers, adding a household member, saving and deleting a saved filter,
importing the niche map, recording attendance and completion of a training, adding a
question to an assessment form. No write exists on the API only.
"""

import datetime as dt

import pytest
from django.utils import timezone

from mboa.actors.models import Structure
from mboa.cases import selectors, services
from mboa.cases.consent import consent_record
from mboa.cases.models import (
    Approval,
    Assessment,
    Case,
    Consent,
    CounsellingSession,
    Counsellor,
    Enrolment,
    Niche,
    TrainingOffer,
)
from mboa.core.testing import DONE, FORBIDDEN, HIDDEN, REFUSED, Request, Write, parity_answers, scope_disagreements

from .factories import CounsellorFactory, make_case, make_supervisor

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def case(personas):
    """An open case of the Yaoundé office, with the insertion and psychosocial counsellor
    personas assigned (so that they work on it), a referral consent to MINEFOP, and a
    MINEFOP training running."""
    manager = personas["case_manager"]
    case = make_case(by=manager, family_name="Ondoua", given_names="Paul")
    for persona, kind, code in (("insertion_counsellor", "insertion", "MINJEC"), ("psy_counsellor", "psychosocial",
                                                                                   "MINAS")):
        counsellor = Counsellor.objects.create(user=personas[persona], kind=kind, city="Yaoundé",
                                               structure=Structure.objects.get(code=code))
        case = services.case_assign(case=case, counsellor=counsellor, by=manager)
    consent_record(person=case.person, case=case, purpose="referral", method="signed", by=manager,
                   structures=[Structure.objects.get(code="MINEFOP")])
    return case


@pytest.fixture
def offer():
    return TrainingOffer.objects.create(title="Aviculture", kind="technical", provider=Structure.objects.get(
        code="MINEFOP"), place="CFP", city="Yaoundé", start_date=TODAY, end_date=TODAY + dt.timedelta(days=5),
        capacity=5)


NICHE = {"region": "CE", "filiere": "aviculture", "rationale": "Urban demand", "investment_min_xaf": 300000,
         "investment_max_xaf": 800000, "source": "FNE", "source_date": "2024-01-01"}


def _writes(case, offer, niche):
    consent = Consent.objects.filter(person=case.person).first()
    answers = {"housing": "none", "priority_needs": ["housing"]}
    return [
        Write("case transition",
              lambda: Request("post", f"/cases/{case.pk}/status/", {"action": "orient"}),
              lambda: Request("post", f"/api/v1/cases/{case.pk}/transition/", {"action": "orient"}),
              lambda: Case.objects.get(pk=case.pk).status),
        Write("case transition refused by the workflow",
              lambda: Request("post", f"/cases/{case.pk}/status/", {"action": "draft_plan"}),
              lambda: Request("post", f"/api/v1/cases/{case.pk}/transition/", {"action": "draft_plan"}),
              lambda: Case.objects.get(pk=case.pk).status),
        Write("consent record",
              lambda: Request("post", f"/cases/{case.pk}/consents/new/", {
                  "purpose": "assistance", "method": "signed", "given_on": TODAY.isoformat()}),
              lambda: Request("post", "/api/v1/consents/", {"case": case.pk, "purpose": "assistance",
                                                            "method": "signed"}),
              lambda: Consent.objects.count()),
        Write("consent withdraw",
              lambda: Request("post", f"/cases/{case.pk}/consents/{consent.pk}/withdraw/", {"note": "changed mind"}),
              lambda: Request("post", f"/api/v1/consents/{consent.pk}/withdraw/", {"note": "changed mind"}),
              lambda: Consent.objects.filter(withdrawn_on__isnull=False).count()),
        Write("assessment",
              lambda: Request("post", f"/cases/{case.pk}/assessments/needs/new/", {
                  **answers, "assessed_on": TODAY.isoformat()}),
              lambda: Request("post", "/api/v1/assessments/", {"case": case.pk, "kind": "needs", "answers": answers}),
              lambda: Assessment.objects.count()),
        Write("session",
              lambda: Request("post", f"/cases/{case.pk}/sessions/new/", {
                  "kind": "follow_up", "held_on": TODAY.isoformat(), "notes": "Visited the shop"}),
              lambda: Request("post", "/api/v1/sessions/", {"case": case.pk, "kind": "follow_up",
                                                           "held_on": TODAY.isoformat(), "notes": "Visited the shop"}),
              lambda: CounsellingSession.objects.count()),
        Write("niche create",
              lambda: Request("post", "/cases/niches/new/", NICHE | {"filiere": "apiculture"}),
              lambda: Request("post", "/api/v1/niches/", NICHE | {"filiere": "apiculture"}),
              lambda: Niche.objects.count()),
        Write("niche update",
              lambda: Request("post", f"/cases/niches/{niche.pk}/", NICHE | {"rationale": "Changed"}),
              lambda: Request("patch", f"/api/v1/niches/{niche.pk}/", {"rationale": "Changed"}),
              lambda: Niche.objects.get(pk=niche.pk).rationale),
        Write("training offer",
              lambda: Request("post", "/cases/trainings/new/", {
                  "title": "Couture", "kind": "technical", "place": "CFP", "city": "Yaoundé",
                  "start_date": TODAY.isoformat(), "end_date": TODAY.isoformat(), "capacity": 5}),
              lambda: Request("post", "/api/v1/trainings/", {
                  "title": "Couture", "kind": "technical", "place": "CFP", "city": "Yaoundé",
                  "start_date": TODAY.isoformat(), "end_date": TODAY.isoformat(), "capacity": 5}),
              lambda: TrainingOffer.objects.count()),
        Write("training enrolment",
              lambda: Request("post", f"/cases/{case.pk}/trainings/enrol/", {"offer": offer.pk}),
              lambda: Request("post", f"/api/v1/trainings/{offer.pk}/enrol/", {"case": case.pk}),
              lambda: Enrolment.objects.count()),
    ]


def test_every_write_gets_the_same_answer_on_the_page_and_the_api(client, personas, case, offer):
    niche = Niche.objects.create(region_id="CE", sector_id="elevage", filiere_id="aviculture", rationale="r",
                                 investment_min_xaf=1, investment_max_xaf=2, source="FNE",
                                 source_date=dt.date(2024, 1, 1))
    for write in _writes(case, offer, niche):
        answers = parity_answers(client, personas, write)
        differ = {name: pair for name, pair in answers.items() if pair[0] != pair[1]}
        assert differ == {}, f"{write.name}: page and API differ {differ}"
        outcomes = {page for page, _api in answers.values()}
        expected_done = DONE if write.name != "case transition refused by the workflow" else REFUSED
        assert expected_done in outcomes, f"{write.name}: nobody may do it {answers}"
        assert outcomes & {REFUSED, FORBIDDEN, HIDDEN} - {expected_done}, f"{write.name}: everybody may {answers}"


def test_who_may_work_on_the_case(client, personas, case):
    """The parity above, with the answers each persona must get (so that it is not the same wrong answer)."""
    transition = _writes(case, None, None)[0]
    answers = {name: page for name, (page, _api) in parity_answers(client, personas, transition).items()}
    assert answers == {
        "admin": DONE, "case_manager": DONE, "supervisor": DONE, "insertion_counsellor": DONE, "psy_counsellor": DONE,
        "fp_minsante": HIDDEN, "fp_minas": HIDDEN, "secretariat": HIDDEN, "donor": HIDDEN, "statistician": HIDDEN,
    }


def test_consent_on_a_closed_case_is_refused_by_page_and_api_alike(client, personas, case):
    """Defect 3: the page refused a consent on a closed case (403), the API took it (201)."""
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now())
    consent = Consent.objects.get(person=case.person)
    [record, withdraw] = [w for w in _writes(case, None, None) if w.name in ("consent record", "consent withdraw")]
    for write in (record, withdraw):
        answers = parity_answers(client, personas, write)
        assert set(answers.values()) <= {(FORBIDDEN, FORBIDDEN), (HIDDEN, HIDDEN)}, answers
        assert answers["case_manager"] == (FORBIDDEN, FORBIDDEN)
    consent.refresh_from_db()
    assert Consent.objects.filter(person=case.person).count() == 1 and consent.withdrawn_on is None


def test_api_refuses_a_consent_on_a_closed_case(client_for, case_manager):
    """Defect 3, as a returnee's case manager meets it: the case is closed; the API answered 201."""
    case = make_case(by=case_manager, status="closed")
    response = client_for(case_manager).post("/api/v1/consents/", {"case": case.pk, "purpose": "assistance",
                                                                   "method": "signed"},
                                             content_type="application/json")
    assert response.status_code == 403
    assert not Consent.objects.filter(person=case.person).exists()
    page = client_for(case_manager).post(f"/cases/{case.pk}/consents/new/", {
        "purpose": "assistance", "method": "signed", "given_on": TODAY.isoformat()})
    assert page.status_code == 403


def test_a_consent_of_an_earlier_closed_case_is_withdrawn_on_the_new_one(client_for, case_manager):
    closed = make_case(by=case_manager, status="closed")
    [consent] = consent_record(person=closed.person, case=None, purpose="follow_up", method="signed",
                               by=case_manager)
    assert client_for(case_manager).post(f"/api/v1/consents/{consent.pk}/withdraw/").status_code == 403
    services.case_open(person=closed.person, by=case_manager, arrival_reference="CH-2027-01")
    assert client_for(case_manager).post(f"/api/v1/consents/{consent.pk}/withdraw/").status_code == 200


# --- Selectors and their per-object rules ---------------------------------------------------------------


@pytest.fixture
def cases_everywhere(personas, make_user):
    """Cases of several offices, followed by counsellors of several structures."""
    douala_manager = make_user("OIM", ("case_manager",), city="Douala")
    minjec_manager = make_user("MINJEC", ("case_manager",))
    insertion = CounsellorFactory(kind="insertion")  # MINJEC
    psy = CounsellorFactory(kind="psychosocial")  # MINAS
    made = [make_case(by=personas["case_manager"], family_name="Abena"),
            make_case(by=douala_manager, city="Douala", family_name="Bello"),
            make_case(by=minjec_manager, family_name="Chinje")]
    services.case_assign(case=made[1], counsellor=insertion, by=douala_manager)
    services.case_assign(case=made[2], counsellor=psy, by=minjec_manager)
    minjec_supervisor = make_supervisor(make_user("MINJEC", ("insertion_counsellor",)))
    users = {**personas, "counsellor": insertion.user, "psy": psy.user, "douala_manager": douala_manager,
             "minjec_manager": minjec_manager, "minjec_supervisor": minjec_supervisor}
    return users, Case.objects.all()


def test_case_list_shows_exactly_the_cases_the_rule_lets_see(cases_everywhere):
    users, cases = cases_everywhere
    assert scope_disagreements(users=users, listed=lambda user: selectors.case_list_for_user(user=user),
                               rule="cases.view_case", candidates=cases) == []
    assert selectors.case_list_for_user(user=users["counsellor"]).count() == 1  # not vacuous


def test_pending_approvals_are_exactly_those_the_user_may_decide(cases_everywhere):
    users, cases = cases_everywhere
    for case in cases:
        Case.objects.filter(pk=case.pk).update(status="plan")
        services.approval_request(case=Case.objects.get(pk=case.pk), kind="plan", by=users["admin"])
    own = make_case(by=users["supervisor"], status="plan", family_name="Essomba")
    services.approval_request(case=own, kind="plan", by=users["supervisor"])  # nobody decides their own
    assert scope_disagreements(users=users, listed=lambda user: selectors.approvals_pending_for_user(user=user),
                               rule="cases.decide_approval", candidates=Approval.objects.all()) == []
    assert selectors.approvals_pending_for_user(user=users["minjec_supervisor"]).count() == 2


def test_training_list_shows_every_offer_to_whom_the_rule_lets_see_trainings(personas):
    offers = [TrainingOffer.objects.create(title=f"Offre {i}", kind="technical", provider=Structure.objects.get(
        code="MINEFOP"), place="CFP", city="Yaoundé", start_date=TODAY, end_date=TODAY, capacity=1) for i in range(2)]
    assert scope_disagreements(users=personas, listed=lambda user: selectors.training_list_for_user(user=user),
                               rule="cases.view_trainings", candidates=offers) == []
    assert not selectors.training_list_for_user(user=personas["donor"]).exists()  # not vacuous
