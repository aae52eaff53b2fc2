"""Per-returnee steps: who records what, medical details for health staff only, pocket money once."""

import pytest
from django.db import IntegrityError, transaction

from mboa.actors.tests.factories import FocalPointFactory
from mboa.core.errors import ApplicationError
from mboa.core.models import Activity, SensitiveAccess
from mboa.reception import services
from mboa.reception.models import MedicalDetail, PocketMoneyPayment, ReceptionStep
from mboa.reception.tests.factories import ArrivalFactory, PassengerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def passenger(db):
    return PassengerFactory(arrival=ArrivalFactory(reference="ch-1", kind="charter"), family_name="Atangana")


@pytest.fixture
def fp_dgsn(make_user):
    return make_user("DGSN", ("focal_point",))


@pytest.fixture
def fp_minjec(make_user):
    return make_user("MINJEC", ("focal_point",))


def test_only_dgsn_and_iom_case_managers_record_nationality(passenger, fp_dgsn, case_manager, fp_minas, fp_minsante):
    record = services.step_record(passenger=passenger, step="police", by=fp_dgsn, data={"nationality_check": "doubtful"})
    assert record.nationality_check == "doubtful" and record.done_by_structure.code == "DGSN"
    services.step_record(passenger=passenger, step="police", by=case_manager, data={"nationality_check": "verified"})
    for user in (fp_minas, fp_minsante):
        with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
            services.step_record(passenger=passenger, step="police", by=user, data={"nationality_check": "refused"})
    assert ReceptionStep.objects.get(passenger=passenger, step="police").nationality_check == "verified"


def test_police_step_needs_an_outcome(passenger, fp_dgsn):
    with pytest.raises(ApplicationError):
        services.step_record(passenger=passenger, step="police", by=fp_dgsn, data={"nationality_check": "maybe"})


def test_registration_by_minjec_and_iom(passenger, fp_minjec, case_manager, fp_minas):
    services.step_record(passenger=passenger, step="registration", by=fp_minjec)
    services.step_record(passenger=passenger, step="registration", by=case_manager)  # idempotent: one record
    assert ReceptionStep.objects.filter(passenger=passenger, step="registration").count() == 1
    with pytest.raises(Exception):  # noqa: B017
        services.step_record(passenger=passenger, step="registration", by=fp_minas)


def test_medical_details_for_health_staff_only(passenger, fp_minsante, client_for, case_manager, fp_minas):
    services.step_record(passenger=passenger, step="medical", by=fp_minsante,
                         data={"needs_follow_up": "1", "findings": "Paludisme suspecté", "vaccinations": "Fièvre jaune"})
    assert MedicalDetail.objects.get(passenger=passenger).findings == "Paludisme suspecté"
    url = f"/reception/returnees/{passenger.pk}/"
    page = client_for(fp_minsante).get(url).content.decode()
    assert "Paludisme suspecté" in page
    assert SensitiveAccess.objects.filter(target_id=str(MedicalDetail.objects.get().pk), user=fp_minsante).exists()
    for other in (case_manager, fp_minas):
        page = client_for(other).get(url).content.decode()
        assert "Paludisme" not in page and "Fièvre jaune" not in page
        assert 'data-testid="step-medical"' in page  # the summary: screened, needs follow-up yes/no
    # An administrator is not health staff either.


def test_non_health_staff_cannot_write_medical_details(passenger, case_manager, settings):
    settings.MBOA_RECEPTION = {**settings.MBOA_RECEPTION,
                               "STEP_STRUCTURES": {**settings.MBOA_RECEPTION["STEP_STRUCTURES"], "medical": ["OIM"]}}
    with pytest.raises(ApplicationError):
        services.step_record(passenger=passenger, step="medical", by=case_manager,
                             data={"needs_follow_up": "0", "findings": "x"})
    assert not MedicalDetail.objects.exists()
    assert not ReceptionStep.objects.exists()  # rolled back with the refusal


def test_pocket_money_is_paid_once(passenger, case_manager, make_user):
    payment = services.pocket_money_pay(passenger=passenger, by=case_manager, receipt="thumbprint")
    assert payment.amount == 65000
    other_desk = make_user("OIM", ("case_manager",))
    with pytest.raises(ApplicationError, match="paid once"):
        services.pocket_money_pay(passenger=passenger, by=other_desk, receipt="signature")
    assert PocketMoneyPayment.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        PocketMoneyPayment.objects.create(passenger=passenger, arrival=passenger.arrival, amount=1, receipt="signature")


def test_same_person_listed_twice_is_paid_once(case_manager):
    from mboa.registry import services as registry

    person = registry.person_create(by=case_manager, data={"family_name": "Kamga", "sex": "M", "birth_year": 1990})
    arrival = ArrivalFactory()
    first = PassengerFactory(arrival=arrival, person=person)
    second = PassengerFactory(arrival=arrival, person=person, family_name="Kamgha")
    services.pocket_money_pay(passenger=first, by=case_manager, receipt="signature")
    with pytest.raises(ApplicationError):
        services.pocket_money_pay(passenger=second, by=case_manager, receipt="signature")


def test_pocket_money_needs_receipt_and_eligible_arrival(case_manager, fp_minas):
    passenger = PassengerFactory(arrival=ArrivalFactory(pocket_money_eligible=False))
    with pytest.raises(ApplicationError):
        services.pocket_money_pay(passenger=passenger, by=case_manager, receipt="signature")
    passenger = PassengerFactory()
    with pytest.raises(ApplicationError):
        services.pocket_money_pay(passenger=passenger, by=case_manager, receipt="")
    with pytest.raises(Exception):  # noqa: B017 - only IOM pays
        services.pocket_money_pay(passenger=passenger, by=fp_minas, receipt="signature")


def test_station_page_search_and_tick(client_for, fp_minjec, passenger, django_assert_max_num_queries):
    for i in range(20):
        PassengerFactory(arrival=passenger.arrival, family_name=f"Zambo{i}")
    client = client_for(fp_minjec)
    url = f"/reception/{passenger.arrival.reference}/stations/registration/"
    with django_assert_max_num_queries(12):
        page = client.get(url, {"q": "atan"})
    assert page.status_code == 200
    assert "ATANGANA" in page.content.decode() and "ZAMBO" not in page.content.decode()
    by_number = client.get(url, {"q": str(passenger.number)}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="station-rows")
    assert "ATANGANA" in by_number.content.decode() and "<html" not in by_number.content.decode()
    response = client.post(f"/reception/returnees/{passenger.pk}/steps/registration/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-testid="done"' in response.content.decode()
    assert ReceptionStep.objects.filter(passenger=passenger, step="registration").exists()


def test_station_of_another_structure_is_forbidden(client_for, fp_minas, passenger):
    assert client_for(fp_minas).get(f"/reception/{passenger.arrival.reference}/stations/police/").status_code == 403


def test_arrival_page_links_only_the_stations_of_the_users_desk(client_for, fp_minas, fp_dgsn, passenger):
    reference = passenger.arrival.reference
    police = f"/reception/{reference}/stations/police/"
    page = client_for(fp_minas).get(f"/reception/{reference}/").content.decode()
    assert police not in page  # DGSN's desk: no link that would answer 403
    assert "Police formalities and nationality" in page  # its progress is still shown
    assert police in client_for(fp_dgsn).get(f"/reception/{reference}/").content.decode()
    returnee = client_for(fp_minas).get(f"/reception/returnees/{passenger.pk}/").content.decode()
    assert police not in returnee and "Police formalities and nationality" in returnee


def test_structures_outside_the_gta_see_no_returnee(client_for, make_user, passenger):
    outsider = make_user("MINEFOP", ("focal_point",))
    client = client_for(outsider)
    assert client.get(f"/reception/returnees/{passenger.pk}/").status_code == 404
    assert client.get(f"/reception/{passenger.arrival.reference}/").status_code == 404
    assert client.post(f"/reception/returnees/{passenger.pk}/steps/registration/").status_code == 404


def test_urgent_flag_tells_minsante_focal_points(passenger, case_manager, fp_minsante, client_for,
                                                 django_capture_on_commit_callbacks):
    from mboa.notifications.models import Message

    FocalPointFactory(structure=fp_minsante.structure, user=fp_minsante, email="pf@minsante.cm")
    minas_fp = FocalPointFactory(email="pf@minas.cm")
    with django_capture_on_commit_callbacks(execute=False):
        services.passenger_set_vulnerabilities(passenger=passenger, by=case_manager,
                                               flags=["medical", "pregnant"], urgent=True, note="ambulance")
    messages = Message.objects.all()
    assert messages.count() >= 1
    assert all(m.recipient_focal_point.structure.code == "MINSANTE" for m in messages)
    assert not messages.filter(recipient_focal_point=minas_fp).exists()
    assert "ATANGANA" not in messages[0].body.upper()  # no name goes out by SMS or e-mail
    assert Activity.objects.filter(verb="reception.urgent").exists()
    home = client_for(fp_minsante).get("/").content.decode()
    assert 'data-testid="home-urgent"' in home
    # Saving again does not alert twice.
    services.passenger_set_vulnerabilities(passenger=passenger, by=case_manager, flags=["pregnant"], urgent=True)
    assert Activity.objects.filter(verb="reception.urgent").count() == 1


def test_unknown_vulnerability_refused(passenger, case_manager):
    with pytest.raises(ApplicationError):
        services.passenger_set_vulnerabilities(passenger=passenger, by=case_manager, flags=["tall"])


def test_tick_updates_the_station_progress(client_for, case_manager, passenger):
    response = client_for(case_manager).post(f"/reception/returnees/{passenger.pk}/steps/meal/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="station-progress"' in html and "1 / 1" in html


def test_returnee_list_page_logs_reads_and_keeps_queries_constant(client_for, case_manager, passenger):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(case_manager)
    url = f"/reception/{passenger.arrival.reference}/returnees/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        PassengerFactory(arrival=passenger.arrival)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)  # one query for the list, one for the steps, one log insert
    logged = SensitiveAccess.objects.filter(user=case_manager, channel="page").order_by("pk")
    assert [len(row.target_ids) for row in logged] == [1, 1, 11]  # one row per response, naming whom it showed


def test_manifest_of_an_arrival_is_404_for_focal_points(client_for, fp_minsante, case_manager, passenger):
    from mboa.reception.tests.factories import GOOD_ROWS, csv_bytes

    manifest = services.manifest_upload(arrival=passenger.arrival, by=case_manager, content=csv_bytes(GOOD_ROWS),
                                        file_name="m.csv")
    assert client_for(fp_minsante).get(f"/reception/manifests/{manifest.pk}/").status_code == 404
