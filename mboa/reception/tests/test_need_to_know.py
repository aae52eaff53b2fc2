"""Need-to-know at reception: health data to health staff only, returnees to counsellors of
their cases only, document numbers and phones to IOM case managers, administrators and the
police. What the pages and the API show, and the read-log rows they write."""

import pytest

from mboa.cases.models import Case
from mboa.cases.tests.factories import CounsellorFactory, make_case
from mboa.core.models import SensitiveAccess
from mboa.reception import services
from mboa.reception.tests.factories import ArrivalFactory, PassengerFactory

pytestmark = pytest.mark.django_db

REMARK = "blessure à la jambe gauche"
DOCUMENT = "PZ98765"
PHONE = "+237699887766"


@pytest.fixture
def arrival(db):
    return ArrivalFactory(reference="ch-ntk", kind="charter")


@pytest.fixture
def returnee(arrival, case_manager, insertion_counsellor):
    """A returnee with a health remark, a health code (mental_health), a non-health code
    (debt), the urgency flag and a document; their case is the insertion counsellor's."""
    passenger = PassengerFactory(arrival=arrival, family_name="Essomba", vulnerability_remarks=REMARK,
                                 vulnerabilities=["mental_health", "debt"], urgent=True, document_number=DOCUMENT,
                                 phone=PHONE)
    counsellor = CounsellorFactory(user=insertion_counsellor, structure=insertion_counsellor.structure)
    case = make_case(by=case_manager)
    Case.objects.filter(pk=case.pk).update(insertion_counsellor=counsellor)
    passenger.case = case
    passenger.search_text = services.search_text_for(
        {"family_name": "Essomba", "given_names": "Serge", "document_number": DOCUMENT}, passenger.number)
    passenger.save()
    return passenger


def _everything(client, passenger) -> str:
    """The returnee's page, the arrival's returnee list and station, and the API's list and detail, as one text."""
    reference = passenger.arrival.reference
    answers = [client.get(f"/reception/returnees/{passenger.pk}/"),
               client.get(f"/reception/{reference}/returnees/"),
               client.get(f"/api/v1/arrival-returnees/?arrival={reference}"),
               client.get(f"/api/v1/arrival-returnees/{passenger.pk}/")]
    return "\n".join(a.content.decode() for a in answers)


@pytest.mark.parametrize("persona", ["fp_minas", "secretariat", "insertion_counsellor", "admin", "case_manager"])
def test_health_data_never_reaches_other_readers(request, client_for, returnee, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(f"/reception/returnees/{returnee.pk}/").status_code == 200  # they do see the returnee
    text = _everything(client, returnee)
    assert "Essomba".upper() in text
    assert REMARK not in text and "blessure" not in text
    # The flag form offers every code, but none of the health codes is shown as the returnee's.
    assert 'value="mental_health" checked' not in text
    api = client.get(f"/api/v1/arrival-returnees/{returnee.pk}/").content.decode() + client.get(
        f"/api/v1/arrival-returnees/?arrival={returnee.arrival.reference}").content.decode()
    assert "mental_health" not in api and REMARK not in api
    assert "urgent" in text  # that someone needs attention, not why
    detail = client.get(f"/api/v1/arrival-returnees/{returnee.pk}/").json()
    assert detail["vulnerability_remarks"] is None and detail["vulnerabilities"] == ["debt"]
    assert not [r for r in SensitiveAccess.objects.filter(user=user) if "vulnerability_remarks" in r.fields]


def test_health_staff_read_health_data_and_the_read_is_logged(client_for, returnee, fp_minsante):
    client = client_for(fp_minsante)
    page = client.get(f"/reception/returnees/{returnee.pk}/").content.decode()
    assert REMARK in page
    detail = client.get(f"/api/v1/arrival-returnees/{returnee.pk}/").json()
    assert detail["vulnerability_remarks"] == REMARK and detail["vulnerabilities"] == ["mental_health", "debt"]
    listed = client.get(f"/api/v1/arrival-returnees/?arrival={returnee.arrival.reference}").json()["results"]
    assert listed[0]["vulnerability_remarks"] == REMARK
    rows = [r for r in SensitiveAccess.objects.filter(user=fp_minsante) if "vulnerability_remarks" in r.fields]
    assert sorted(r.channel for r in rows) == ["api", "api", "page"]
    assert all(str(returnee.pk) in (r.target_ids or [r.target_id]) for r in rows)


def test_a_desk_keeps_the_health_flags_it_cannot_see(client_for, returnee, case_manager, fp_minsante):
    """A non-health desk saves the flags it sees: the health codes it does not see stay."""
    client_for(case_manager).post(f"/reception/returnees/{returnee.pk}/vulnerability/",
                                  {"flags": ["debt", "no_family_support"], "urgent": "1"})
    returnee.refresh_from_db()
    assert set(returnee.vulnerabilities) == {"mental_health", "debt", "no_family_support"}
    client_for(fp_minsante).post(f"/reception/returnees/{returnee.pk}/vulnerability/", {"flags": ["debt"]})
    returnee.refresh_from_db()
    assert returnee.vulnerabilities == ["debt"]  # health staff see the health codes, so they may remove them


def test_hand_over_does_not_copy_the_remarks_into_the_case(arrival, case_manager):
    passenger = PassengerFactory(arrival=arrival, vulnerability_remarks=REMARK, match_status="new")
    services.step_record(passenger=passenger, step="registration", by=case_manager)
    done = services.passenger_hand_over(passenger=passenger, by=case_manager)
    assert REMARK not in done.case.note


def test_counsellors_see_the_returnees_of_their_cases_only(client_for, returnee, insertion_counsellor,
                                                         psy_counsellor, arrival):
    other = PassengerFactory(arrival=arrival, family_name="Onana")
    client = client_for(insertion_counsellor)
    assert client.get(f"/reception/returnees/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/arrival-returnees/{other.pk}/").status_code == 404
    listed = client.get(f"/api/v1/arrival-returnees/?arrival={arrival.reference}").json()["results"]
    assert [r["id"] for r in listed] == [returnee.pk]
    page = client.get(f"/reception/{arrival.reference}/returnees/").content.decode()
    assert "ESSOMBA" in page and "ONANA" not in page
    # Another counsellor, with no case here, lists nobody.
    assert client_for(psy_counsellor).get(f"/api/v1/arrival-returnees/?arrival={arrival.reference}").json()[
        "results"] == []


@pytest.mark.parametrize(("persona", "sees"), [("case_manager", True), ("admin", True), ("fp_minas", False),
                                               ("secretariat", False), ("insertion_counsellor", False),
                                               ("fp_minsante", False)])
def test_documents_and_phones_to_iom_case_managers_and_the_police_only(request, client_for, returnee, persona,
                                                                       sees):
    user = request.getfixturevalue(persona)
    text = _everything(client_for(user), returnee)
    assert (DOCUMENT in text) is sees and (PHONE in text) is sees
    detail = client_for(user).get(f"/api/v1/arrival-returnees/{returnee.pk}/").json()
    assert (detail["document_number"] is None) is not sees and (detail["phone"] is None) is not sees


def test_the_police_see_document_numbers(client_for, make_user, returnee):
    police = make_user("DGSN", ("focal_point",))
    detail = client_for(police).get(f"/api/v1/arrival-returnees/{returnee.pk}/").json()
    assert detail["document_number"] == DOCUMENT and detail["vulnerability_remarks"] is None


def test_a_document_number_is_no_search_oracle(client_for, returnee, fp_minas, case_manager):
    reference = returnee.arrival.reference
    assert "ESSOMBA" not in client_for(fp_minas).get(
        f"/reception/{reference}/returnees/", {"q": DOCUMENT}).content.decode()
    assert client_for(fp_minas).get("/api/v1/arrival-returnees/", {"search": DOCUMENT}).json()["results"] == []
    assert "ESSOMBA" in client_for(case_manager).get(
        f"/reception/{reference}/returnees/", {"q": DOCUMENT}).content.decode()


def test_the_police_see_in_the_registry_the_returnees_of_the_arrivals_they_work_on(client_for, make_user, arrival):
    from mboa.actors.models import Structure
    from mboa.reception.models import GtaTask
    from mboa.registry.tests.factories import PersonFactory

    dgsn = make_user("DGSN", ("focal_point",))
    received, elsewhere = PersonFactory(family_name="Abena"), PersonFactory(family_name="Ondoua")
    PassengerFactory(arrival=arrival, person=received)
    PassengerFactory(person=elsewhere)  # on another arrival, with no task of the police
    GtaTask.objects.create(arrival=arrival, structure=Structure.objects.get(code="DGSN"), code="identity",
                           title_fr="Vérifier les identités", title_en="Check identities", due_at=arrival.expected_at)
    client = client_for(dgsn)
    assert client.get(f"/people/{received.pk}/").status_code == 200
    assert client.get(f"/people/{elsewhere.pk}/").status_code == 404
    assert [p["id"] for p in client.get("/api/v1/people/").json()["results"]] == [received.pk]
