"""Data migrations of the referrals app, run on rows written the way the old code wrote them."""

import importlib

import pytest
from django.apps import apps

from ..models import Referral
from .factories import give_consent, make_case, send

pytestmark = pytest.mark.django_db

snapshots = importlib.import_module("mboa.referrals.migrations.0004_shared_data_one_vulnerability_vocabulary")


def test_stored_snapshots_get_current_codes_and_lose_health_codes_sent_to_non_health_structures(case_manager):
    case = make_case(by=case_manager)
    give_consent(case, "MINAS", "MINSANTE", by=case_manager)
    to_minas = send(case, by=case_manager, parts=("identity", "vulnerabilities"))
    to_minsante = send(case, by=case_manager, to="MINSANTE", service_code="medical_care",
                       parts=("identity", "vulnerabilities", "health"), health_details="Insulin")
    identity = to_minas.shared_data["identity"]
    # As the old code stored them: the assessment's "medical" passed its health filter.
    Referral.objects.filter(pk=to_minas.pk).update(shared_data={
        "identity": identity, "vulnerabilities": ["medical", "single_head", "violence"]})
    Referral.objects.filter(pk=to_minsante.pk).update(shared_data={
        "identity": identity, "vulnerabilities": ["medical", "trafficking"],
        "health": {"vulnerabilities": ["serious_medical"], "details": "Insulin"}})

    snapshots.forwards(apps, None)

    to_minas.refresh_from_db()
    to_minsante.refresh_from_db()
    assert to_minas.shared_data == {"identity": identity, "vulnerabilities": ["gbv_survivor", "single_head"]}
    assert to_minsante.shared_data == {
        "identity": identity, "vulnerabilities": ["medical", "trafficking_victim"],
        "health": {"vulnerabilities": ["medical"], "details": "Insulin"}}
    snapshots.forwards(apps, None)  # run again: nothing changes
    to_minas.refresh_from_db()
    assert to_minas.shared_data["vulnerabilities"] == ["gbv_survivor", "single_head"]


def test_snapshots_without_vulnerabilities_are_left_alone(case_manager):
    case = make_case(by=case_manager)
    give_consent(case, "MINAS", by=case_manager)
    referral = send(case, by=case_manager, parts=("identity", "location"))
    before = Referral.objects.get(pk=referral.pk).shared_data
    snapshots.forwards(apps, None)
    assert Referral.objects.get(pk=referral.pk).shared_data == before
