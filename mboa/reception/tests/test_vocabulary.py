"""Reception flags vulnerabilities with the one shared vocabulary (mboa.core.vocabulary);
the codes stored before it are converted by a data migration."""

import importlib

import pytest
from django.apps import apps

from mboa.core.errors import ApplicationError
from mboa.reception import services
from mboa.reception.models import Passenger
from mboa.reception.report import arrival_report
from mboa.reception.tests.factories import ArrivalFactory, PassengerFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("mboa.reception.migrations.0003_passenger_vulnerabilities_shared_codes")


def test_stored_former_codes_become_the_shared_codes_and_back():
    arrival = ArrivalFactory()
    old = PassengerFactory(arrival=arrival)
    both = PassengerFactory(arrival=arrival)
    current = PassengerFactory(arrival=arrival)
    none = PassengerFactory(arrival=arrival)
    Passenger.objects.filter(pk=old.pk).update(vulnerabilities=["pregnant", "serious_medical", "violence"])
    Passenger.objects.filter(pk=both.pk).update(vulnerabilities=["trafficking", "trafficking_victim"])
    Passenger.objects.filter(pk=current.pk).update(vulnerabilities=["elderly", "debt"])

    migration.to_shared_codes(apps, None)

    stored = dict(Passenger.objects.values_list("pk", "vulnerabilities"))
    assert stored[old.pk] == ["pregnant", "medical", "gbv_survivor"]  # in the vocabulary's order
    assert stored[both.pk] == ["trafficking_victim"]
    assert stored[current.pk] == ["elderly", "debt"]
    assert stored[none.pk] == []

    migration.to_former_codes(apps, None)
    assert Passenger.objects.get(pk=old.pk).vulnerabilities == ["pregnant", "serious_medical", "violence"]


def test_flags_use_the_shared_codes_and_read_former_ones(case_manager):
    passenger = PassengerFactory()
    services.passenger_set_vulnerabilities(passenger=passenger, by=case_manager, flags=["serious_medical", "debt"])
    passenger.refresh_from_db()
    assert passenger.vulnerabilities == ["medical", "debt"]
    assert passenger.vulnerability_labels == ["Medical needs", "Heavy debt from the journey"]
    with pytest.raises(ApplicationError):
        services.passenger_set_vulnerabilities(passenger=passenger, by=case_manager, flags=["violence_x"])


def test_report_counts_by_shared_vulnerability(case_manager):
    passenger = PassengerFactory()
    services.passenger_set_vulnerabilities(passenger=passenger, by=case_manager, flags=["medical", "pregnant"])
    counts = dict(arrival_report(passenger.arrival)["by_vulnerability"])
    assert counts["Medical needs"] == 1 and counts["Pregnant woman"] == 1 and counts["Heavy debt from the journey"] == 0


def test_the_flag_form_offers_the_shared_vocabulary(client_for, case_manager):
    passenger = PassengerFactory()
    page = client_for(case_manager).get(f"/reception/returnees/{passenger.pk}/").content.decode()
    assert 'value="medical"' in page and 'value="gbv_survivor"' in page and "serious_medical" not in page
