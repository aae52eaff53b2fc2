"""The consent gate, and assessments as versioned forms."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mboa.actors.models import Structure
from mboa.cases import assessments, trainings
from mboa.cases.consent import consent_allows, consent_record, consent_withdraw
from mboa.cases.models import Assessment, CaseVulnerability, FormSchema, TrainingOffer
from mboa.core.errors import ApplicationError
from mboa.registry.tests.factories import PersonFactory

from .factories import make_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_consent_allows_by_purpose_structure_and_date(case_manager):
    person = PersonFactory()
    minsante, minas = Structure.objects.get(code="MINSANTE"), Structure.objects.get(code="MINAS")
    assert not consent_allows(person=person, purpose="referral", structure=minsante)
    consent_record(person=person, purpose="referral", method="signed", by=case_manager, structures=[minsante],
                   given_on=TODAY - dt.timedelta(days=10))
    assert consent_allows(person=person, purpose="referral", structure=minsante)
    assert not consent_allows(person=person, purpose="referral", structure=minas)  # named structures only
    assert not consent_allows(person=person, purpose="referral")  # a referral names its structure
    assert not consent_allows(person=person, purpose="statistics")
    assert not consent_allows(person=person, purpose="referral", structure=minsante,
                              on=TODAY - dt.timedelta(days=11))  # before it was given
    consent_record(person=person, purpose="follow_up", method="thumbprint", by=case_manager)
    assert consent_allows(person=person, purpose="follow_up", structure=minas)  # no structure named: any


def test_withdrawal_stops_consent_from_that_day(case_manager):
    person = PersonFactory()
    minefop = Structure.objects.get(code="MINEFOP")
    [consent] = consent_record(person=person, purpose="referral", method="signed", by=case_manager,
                               structures=[minefop], given_on=TODAY - dt.timedelta(days=30))
    consent_withdraw(consent=consent, by=case_manager, on=TODAY - dt.timedelta(days=2), note="Changed mind")
    assert not consent_allows(person=person, purpose="referral", structure=minefop)
    assert consent_allows(person=person, purpose="referral", structure=minefop, on=TODAY - dt.timedelta(days=3))
    with pytest.raises(ApplicationError):
        consent_withdraw(consent=consent, by=case_manager)


def test_oral_consent_needs_a_witness(case_manager):
    with pytest.raises(ApplicationError) as error:
        consent_record(person=PersonFactory(), purpose="assistance", method="oral", by=case_manager)
    assert error.value.field == "witness_name"
    [consent] = consent_record(person=PersonFactory(), purpose="assistance", method="oral", by=case_manager,
                               witness_name="Mme Ngo Bassa")
    assert consent.witness_name == "Mme Ngo Bassa"


def test_training_enrolment_is_gated_by_consent(case_manager):
    case = make_case(by=case_manager)
    minefop = Structure.objects.get(code="MINEFOP")
    offer = TrainingOffer.objects.create(title="Aviculture", kind="technical", provider=minefop, place="CFP",
                                         city="Yaoundé", start_date=TODAY, end_date=TODAY + dt.timedelta(days=5),
                                         capacity=1)
    with pytest.raises(ApplicationError, match="consent") as error:
        trainings.enrol(offer=offer, case=case, by=case_manager)
    assert error.value.field == "consent"
    consent_record(person=case.person, purpose="referral", method="signed", by=case_manager, structures=[minefop])
    enrolment = trainings.enrol(offer=offer, case=case, by=case_manager)
    assert enrolment.status == "enrolled"
    other = make_case(by=case_manager, family_name="Ngono")
    consent_record(person=other.person, purpose="referral", method="signed", by=case_manager, structures=[minefop])
    with pytest.raises(ApplicationError, match="full"):
        trainings.enrol(offer=offer, case=other, by=case_manager)


def test_assessment_keeps_its_form_version_when_a_question_is_added(case_manager, admin):
    case = make_case(by=case_manager)
    first = assessments.assessment_record(case=case, kind="needs", by=case_manager,
                                          answers={"housing": "temporary", "priority_needs": ["housing", "food"]})
    assert first.form.version == 1
    with pytest.raises(PermissionDenied):
        assessments.form_add_question(kind="needs", question={"key": "x", "label": "X", "type": "text"},
                                      by=case_manager)
    new = assessments.form_add_question(kind="needs", by=admin, question={
        "key": "household_size", "label": "People in the household", "type": "number", "required": True})
    assert new.version == 2 and FormSchema.objects.get(kind="needs", is_current=True) == new
    with pytest.raises(ApplicationError) as error:
        assessments.assessment_record(case=case, kind="needs", by=case_manager,
                                      answers={"housing": "stable", "priority_needs": ["food"]})
    assert error.value.field == "household_size"
    second = assessments.assessment_record(case=case, kind="needs", by=case_manager, answers={
        "housing": "stable", "priority_needs": ["food"], "household_size": "4"})
    assert second.form.version == 2 and second.answers["household_size"] == 4
    first.refresh_from_db()
    assert first.form.version == 1 and "household_size" not in first.answers
    assert ("Housing", "Temporary (family, friends)") in assessments.display_answers(first)


def test_invalid_answer_names_the_question(case_manager):
    case = make_case(by=case_manager)
    with pytest.raises(ApplicationError) as error:
        assessments.assessment_record(case=case, kind="needs", by=case_manager,
                                      answers={"housing": "palace", "priority_needs": ["food"]})
    assert error.value.field == "housing" and "Housing" in error.value.message
    assert not Assessment.objects.exists()


def test_vulnerability_assessment_sets_case_categories(case_manager):
    case = make_case(by=case_manager)
    assessments.assessment_record(case=case, kind="vulnerability", by=case_manager,
                                  answers={"categories": ["pregnant", "single_head"]})
    assessments.assessment_record(case=case, kind="vulnerability", by=case_manager,
                                  answers={"categories": ["single_head", "medical"]})
    assert set(CaseVulnerability.objects.filter(case=case).values_list("category", flat=True)) == {
        "single_head", "medical"}
