"""Every response that shows a returnee's identity or health data writes one read-log row,
from the selector that built it (lists: one row naming everyone shown)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from mboa.core.models import SensitiveAccess
from mboa.reception import services
from mboa.reception.tests.factories import ArrivalFactory, PassengerFactory
from mboa.registry.models import Person
from mboa.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrival(db):
    return ArrivalFactory(reference="ch-reads", kind="charter")


def test_station_page_logs_the_returnees_it_lists(client_for, case_manager, arrival):
    shown = [PassengerFactory(arrival=arrival) for _ in range(3)]
    client_for(case_manager).get(f"/reception/{arrival.reference}/stations/meal/")
    row = SensitiveAccess.objects.get(user=case_manager)
    assert sorted(row.target_ids) == sorted(str(p.pk) for p in shown) and row.purpose == "reception station"


def test_a_tick_logs_the_row_it_sends_back(client_for, case_manager, arrival):
    passenger = PassengerFactory(arrival=arrival)
    client_for(case_manager).post(f"/reception/returnees/{passenger.pk}/steps/meal/", HTTP_HX_REQUEST="true")
    assert SensitiveAccess.objects.get(user=case_manager).target_ids == [str(passenger.pk)]


def test_returnee_page_logs_the_earlier_records_shown_to_those_who_decide(client_for, case_manager, fp_minas,
                                                                          arrival):
    earlier = PersonFactory(family_name="Tchakounte")
    passenger = PassengerFactory(arrival=arrival, match_status="possible",
                                 match_candidates=[{"person_id": earlier.pk, "score": 0.8, "probable": False}])
    page = client_for(case_manager).get(f"/reception/returnees/{passenger.pk}/").content.decode()
    assert "TCHAKOUNTE Jean-Paul" in page
    person_type = ContentType.objects.get_for_model(Person)
    assert SensitiveAccess.objects.get(user=case_manager, target_type=person_type).target_ids == [str(earlier.pk)]
    assert SensitiveAccess.objects.filter(user=case_manager, target_id=str(passenger.pk)).exists()
    page = client_for(fp_minas).get(f"/reception/returnees/{passenger.pk}/").content.decode()
    assert "TCHAKOUNTE" not in page  # the identity decision is not theirs: no earlier record shown, none logged
    assert not SensitiveAccess.objects.filter(user=fp_minas, target_type=person_type).exists()


def test_urgent_panel_logs_the_vulnerabilities_it_shows(client_for, case_manager, fp_minsante, arrival):
    passenger = PassengerFactory(arrival=arrival)
    services.passenger_set_vulnerabilities(passenger=passenger, by=case_manager, flags=["pregnant"], urgent=True)
    client_for(fp_minsante).get("/")
    row = SensitiveAccess.objects.get(user=fp_minsante, purpose="urgent returnees")
    assert row.target_ids == [str(passenger.pk)] and row.fields == ["vulnerabilities"]
