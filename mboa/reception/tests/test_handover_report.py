"""Hand-over to the registry and case management; the arrival report (page, XLSX, PDF)."""

import io

import pytest

from mboa.reception import services
from mboa.reception.models import MatchStatus
from mboa.reception.tests.factories import ArrivalFactory, PassengerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrival(case_manager):
    arrival = ArrivalFactory(reference="ly-2017", kind="charter", notes='=HYPERLINK("http://evil","x")')
    for i in range(4):
        p = PassengerFactory(arrival=arrival, sex="F" if i % 2 else "M", birth_year=1990 + i)
        services.step_record(passenger=p, step="registration", by=case_manager)
    services.pocket_money_pay(passenger=arrival.passengers.first(), by=case_manager, receipt="signature")
    PassengerFactory(arrival=arrival)  # on the list, never registered (did not board)
    return arrival


def test_hand_over_creates_registry_records(arrival, case_manager):
    flagged = arrival.passengers.order_by("number")[1]
    flagged.match_status = MatchStatus.PROBABLE
    flagged.save()
    result = services.arrival_hand_over(arrival=arrival, by=case_manager)
    assert result.handed_over == 3
    assert result.skipped_review == [flagged.number]
    assert len(result.skipped_unregistered) == 1
    done = arrival.passengers.filter(handed_over_at__isnull=False)
    assert done.count() == 3 and all(p.person_id for p in done)
    paid = arrival.passengers.order_by("number").first()
    assert paid.pocket_money.person_id == paid.person_id
    # The decision on the flagged one, then it goes too.
    services.passenger_link_person(passenger=flagged, by=case_manager, person_id=None)
    assert services.arrival_hand_over(arrival=arrival, by=case_manager).handed_over == 1


def test_hand_over_links_the_earlier_record(arrival, case_manager):
    from mboa.registry import services as registry

    person = registry.person_create(by=case_manager, data={"family_name": "Earlier", "sex": "M", "birth_year": 1980})
    passenger = arrival.passengers.order_by("number").first()
    services.passenger_link_person(passenger=passenger, by=case_manager, person_id=person.pk)
    services.passenger_hand_over(passenger=passenger, by=case_manager)
    passenger.refresh_from_db()
    assert passenger.person_id == person.pk and passenger.handed_over_at


def test_report_page_counts(arrival, client_for, donor):
    html = client_for(donor).get("/reception/ly-2017/report/").content.decode()
    assert "65000" in html
    assert "Atangana" not in html  # numbers only


def test_report_xlsx_never_has_formulas(arrival, client_for, case_manager):
    from openpyxl import load_workbook

    response = client_for(case_manager).get("/reception/ly-2017/report.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in values
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_report_pdf(arrival, client_for, case_manager):
    response = client_for(case_manager).get("/reception/ly-2017/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_statistician_gets_no_report(arrival, client_for, statistician):
    assert client_for(statistician).get("/reception/ly-2017/report/").status_code == 404


def test_hand_over_opens_a_case_for_orientation(arrival, case_manager):
    from mboa.cases.models import Case

    services.arrival_hand_over(arrival=arrival, by=case_manager)
    passenger = arrival.passengers.filter(handed_over_at__isnull=False).select_related("case").first()
    assert passenger.case is not None
    assert passenger.case.person_id == passenger.person_id
    assert passenger.case.arrival_reference == "ly-2017"
    assert Case.objects.filter(arrival_reference="ly-2017").count() == 4
    # Handing over again changes nothing.
    services.arrival_hand_over(arrival=arrival, by=case_manager)
    assert Case.objects.filter(arrival_reference="ly-2017").count() == 4


def test_urgent_returnee_gets_an_urgent_medical_referral_at_hand_over(arrival, case_manager):
    from mboa.referrals.models import Referral, ReferralStatus, Urgency
    from mboa.referrals.services import VITAL_INTEREST_REASON

    urgent = arrival.passengers.filter(steps__step="registration").first()
    services.passenger_set_vulnerabilities(passenger=urgent, by=case_manager, flags=["medical"], urgent=True)
    # No case yet: nothing can be referred before hand-over.
    assert not Referral.objects.exists()
    services.arrival_hand_over(arrival=arrival, by=case_manager)
    urgent.refresh_from_db()
    referral = Referral.objects.get()
    assert referral.case == urgent.case
    assert (referral.structure.code, referral.service.code) == ("MINSANTE", "medical_care")
    assert referral.urgency == Urgency.URGENT and referral.from_reception
    assert referral.status == ReferralStatus.SENT
    # Sent in the person's vital interest, without recorded consent: the reason says so;
    # identity, phones and the needs flagged at arrival travel (the flags as health details,
    # read by the health structure only; medical details stay with the health desk).
    assert not referral.consent_checked
    assert referral.consent_override_reason == VITAL_INTEREST_REASON
    assert set(referral.shared_parts) == {"identity", "contact", "health"}
    assert referral.health_details
    # Handing over again, or flagging again, sends nothing more.
    services.arrival_hand_over(arrival=arrival, by=case_manager)
    services.passenger_set_vulnerabilities(passenger=urgent, by=case_manager, flags=["medical"], urgent=True)
    assert Referral.objects.count() == 1


def test_vital_interest_is_not_a_way_around_consent_for_ordinary_referrals(case_manager):
    from mboa.core.errors import ApplicationError
    from mboa.referrals.services import referral_send
    from mboa.referrals.tests.factories import make_case, service, structure

    case = make_case(by=case_manager)
    with pytest.raises(ApplicationError):
        referral_send(by=case_manager, case=case, service=service("psychosocial_support"), structure=structure("MINAS"),
                      reason="Soutien", shared_parts=("identity",), urgency="urgent", from_reception=True,
                      vital_interest=True)


def test_identity_decided_at_reception_is_not_reviewed_again_in_the_registry(case_manager):
    """Reception decides "none of these records is this person": hand-over registers the
    returnee and the registry remembers the decision (the pair is decided "different
    people", not put in the review queue), and its scan does not ask again."""
    from mboa.reception.tests.factories import GOOD_ROWS, csv_bytes
    from mboa.registry import services as registry
    from mboa.registry.models import DuplicateCandidate, ReviewStatus

    earlier = registry.person_create(by=case_manager, data={
        "family_name": "Atangana", "given_names": "Jean-Paul", "sex": "M", "date_of_birth": "1990-04-12"},
        phones=["699123456"])
    arrival = ArrivalFactory(reference="ly-2018")
    services.manifest_import(arrival=arrival, by=case_manager, content=csv_bytes(GOOD_ROWS[:1]), file_name="m.csv")
    passenger = arrival.passengers.get()
    assert passenger.match_status in (MatchStatus.POSSIBLE, MatchStatus.PROBABLE)
    assert [c["person_id"] for c in passenger.match_candidates] == [earlier.pk]

    services.passenger_link_person(passenger=passenger, by=case_manager, person_id=None)
    services.step_record(passenger=passenger, step="registration", by=case_manager)
    assert services.arrival_hand_over(arrival=arrival, by=case_manager).handed_over == 1

    passenger.refresh_from_db()
    assert passenger.person_id not in (None, earlier.pk)
    assert not DuplicateCandidate.objects.filter(status=ReviewStatus.OPEN).exists()
    pair = DuplicateCandidate.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {earlier.pk, passenger.person_id}
    assert (pair.status, pair.source, pair.decided_by) == (ReviewStatus.DIFFERENT, "import", case_manager)
    assert "ly-2018" in pair.note
    assert registry.duplicates_scan()["new"] == 0


def test_urgent_flag_with_the_shared_medical_code_gets_the_urgent_referral(arrival, case_manager, client_for):
    from mboa.referrals.models import Referral

    urgent = arrival.passengers.filter(steps__step="registration").first()
    services.passenger_set_vulnerabilities(passenger=urgent, by=case_manager, flags=["medical"], urgent=True)
    services.arrival_hand_over(arrival=arrival, by=case_manager)
    urgent.refresh_from_db()
    referral = Referral.objects.get(case=urgent.case)
    assert referral.structure.code == "MINSANTE" and "Medical needs" in referral.health_details
    # The sending side reads the reason: it says that care is needed, not which.
    assert "Medical needs" not in referral.reason
    page = client_for(case_manager).get(f"/referrals/{referral.pk}/").content.decode()
    assert "Medical needs" not in page and "Besoins médicaux" not in page
