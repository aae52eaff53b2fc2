"""Cases speak the one vulnerability vocabulary (mboa.core.vocabulary), and the data
migration converts the codes stored before it was merged."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from mboa.cases import assessments
from mboa.cases.models import Assessment, CaseVulnerability, FormSchema
from mboa.cases.reference.vocabulary import FORMS
from mboa.core.vocabulary import VULNERABILITIES

from .factories import make_case

pytestmark = pytest.mark.django_db
migration = importlib.import_module("mboa.cases.migrations.0004_convert_former_vulnerability_codes")


def test_the_vulnerability_form_offers_the_vocabulary():
    [categories] = [q for kind, _title, questions in FORMS if kind == "vulnerability" for q in questions
                    if q["key"] == "categories"]
    assert [code for code, _label in categories["choices"]] == list(VULNERABILITIES)
    stored = FormSchema.objects.get(kind="vulnerability", is_current=True)
    assert [code for code, _label in assessments.question_choices(stored, stored.questions[0])] == list(
        VULNERABILITIES)


def test_a_former_code_is_recorded_as_todays_and_shown_in_words(case_manager):
    case = make_case(by=case_manager)
    assessment = assessments.assessment_record(case=case, kind="vulnerability", by=case_manager,
                                               answers={"categories": ["serious_medical", "violence"]})
    assert assessment.answers["categories"] == ["gbv_survivor", "medical"]
    assert set(case.vulnerabilities.values_list("category", flat=True)) == {"gbv_survivor", "medical"}
    with translation.override("fr"):
        [(_question, shown)] = assessments.display_answers(assessment)[:1]
        assert shown == ", ".join(str(VULNERABILITIES[c].label) for c in ("gbv_survivor", "medical"))


def test_case_list_filters_by_a_vulnerability_old_or_new_code(client_for, case_manager):
    medical = make_case(by=case_manager, family_name="Ebogo")
    medical.vulnerabilities.create(category="medical")
    other = make_case(by=case_manager, family_name="Fouda")
    body = client_for(case_manager).get("/cases/", {"vulnerability": "medical"}).content.decode()
    assert medical.number in body and other.number not in body
    rows = client_for(case_manager).get("/api/v1/cases/", {"vulnerability": "serious_medical"}).json()["results"]
    assert [r["number"] for r in rows] == [medical.number]


def test_migration_converts_stored_codes(case_manager):
    both, former = make_case(by=case_manager, family_name="Awono"), make_case(by=case_manager, family_name="Bilong")
    CaseVulnerability.objects.bulk_create([
        CaseVulnerability(case=both, category="serious_medical"), CaseVulnerability(case=both, category="medical"),
        CaseVulnerability(case=former, category="trafficking"), CaseVulnerability(case=former, category="debt")])
    old_form = FormSchema.objects.create(kind="vulnerability", version=99, title="Old", is_current=False, questions=[
        {"key": "categories", "label": "Categories", "type": "multi", "required": False,
         "choices": [["serious_medical", "Serious medical condition"], ["medical", "Medical needs"],
                     ["violence", "Violence"]]},
        {"key": "main", "label": "Main", "type": "choice", "required": False,
         "choices": [["violence", "Violence"], ["debt", "Debt"]]}])
    under_old = Assessment.objects.create(case=both, form=old_form, kind="vulnerability", assessed_on="2024-01-01",
                                          answers={"categories": ["medical", "serious_medical", "violence"],
                                                   "main": "violence"})
    current = FormSchema.objects.get(kind="vulnerability", is_current=True)
    under_current = Assessment.objects.create(case=former, form=current, kind="vulnerability",
                                              assessed_on="2024-01-01", answers={"categories": ["trafficking"]})
    untouched = Assessment.objects.create(case=former, form=FormSchema.objects.get(kind="needs", is_current=True),
                                          kind="needs", assessed_on="2024-01-01",
                                          answers={"notes": "violence", "priority_needs": ["housing"]})

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # replayed (reload_reference_data): changes nothing more

    assert sorted(CaseVulnerability.objects.filter(case=both).values_list("category", flat=True)) == ["medical"]
    assert sorted(CaseVulnerability.objects.filter(case=former).values_list("category", flat=True)) == [
        "debt", "trafficking_victim"]
    old_form.refresh_from_db()
    assert old_form.questions[0]["choices"] == [["medical", "Medical needs"], ["gbv_survivor", "Violence"]]
    assert old_form.questions[1]["choices"] == [["gbv_survivor", "Violence"], ["debt", "Debt"]]
    under_old.refresh_from_db()
    assert under_old.answers == {"categories": ["gbv_survivor", "medical"], "main": "gbv_survivor"}
    under_current.refresh_from_db()
    assert under_current.answers == {"categories": ["trafficking_victim"]}
    untouched.refresh_from_db()
    assert untouched.answers == {"notes": "violence", "priority_needs": ["housing"]}
