"""The XLSForm round trip (generate, convert with pyxform, fill a submission, import) and
the import's all-or-nothing refusals, by row and column."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from mboa.cases.tests.factories import make_case
from mboa.monitoring.surveys import catalog, services, xlsform
from mboa.monitoring.surveys.models import Survey, SurveyScore, SurveyUpload, SurveyVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version, weights = services.catalog_load(catalog=catalog.example_catalog(), by=None, is_example=True,
                                                 adopt=True)
    return version, weights


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in rows).encode()


def test_the_xlsform_is_valid_for_pyxform_and_a_filled_submission_imports(example, survey_case, case_manager):
    version, weights = example
    xform = xlsform.to_xform(bytes(version.xlsform))
    assert "<h:title>EXEMPLE" in xform and 'nodeset="/data/eco_activite"' in xform
    assert '<data id="mboa_durabilite_v1" version="1">' in xform
    sheet = load_workbook(io.BytesIO(bytes(version.xlsform))).worksheets[0]
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert names[:4] == ["case_number", "round", "collected_on", "mboa_version"]

    # A submission as KoboToolbox exports it (XML values, a group path, its own columns).
    header = ["start", "case_number", "round", "collected_on", "mboa_version", "grp/eco_activite", "eco_revenu_regulier",
              "psy_sommeil", "_uuid", "_submission_time"]
    row = [dt.date.today().isoformat(), survey_case.number, "intake", dt.date.today().isoformat(), "1", "oui",
           "Souvent", "jamais", "uuid-1", "2024-01-01T10:00:00"]
    report = services.submissions_import(by=case_manager, content=_csv([header, row]), file_name="kobo.csv",
                                         version=version)
    assert report["problems"] == [] and report["imported"] == 1
    survey = Survey.objects.get(case=survey_case, round="intake")
    assert {a.question.code: a.option.code for a in survey.answers.select_related("question", "option")} == {
        "eco_activite": "oui", "eco_revenu_regulier": "souvent", "psy_sommeil": "jamais"}
    score = SurveyScore.objects.get(survey=survey, weight_set=weights)
    # revenu = (2 × 1 [activite: oui] + 1 × 0.6667 [souvent]) / 3 = 0.888900 → 0.8889; economic = revenu (weight 2 alone)
    # psychosocial = 0 (jamais); social: no answer. composite = (0.8889 + 0) / 2 = 0.44445 → 0.4445 (half up)
    assert score.economic == Decimal("0.8889")
    assert score.social is None and score.psychosocial == Decimal("0")
    assert score.composite == Decimal("0.4445")

    # The next export holds the same submission again: skipped, nothing doubled.
    again = services.submissions_import(by=case_manager, content=_csv([header, row]), file_name="kobo2.csv",
                                        version=version)
    assert again["problems"] == [] and again["imported"] == 0 and again["skipped"] == 1


def test_an_export_with_problems_is_refused_whole_with_row_and_column(example, survey_case, case_manager, admin):
    version, _weights = example
    other = make_case(by=admin)
    header = ["case_number", "round", "collected_on", "eco_activite"]
    rows = [header,
            [survey_case.number, "intake", "2024-02-01", "oui"],  # fine
            ["CM-0000-999999", "m3", "2024-02-01", "oui"],  # unknown case
            [survey_case.number, "m7", "2024-02-01", "oui"],  # unknown round
            [other.number, "m6", "2999-01-01", "peut-etre"]]  # future date, unknown answer
    report = services.submissions_import(by=case_manager, content=_csv(rows), file_name="odk.csv", version=version)
    texts = [str(p) for p in report["problems"]]
    assert report["imported"] == 0
    assert any(t.startswith("row 3, column case_number:") for t in texts), texts
    assert any(t.startswith("row 4, column round:") for t in texts), texts
    assert any(t.startswith("row 5, column collected_on:") for t in texts), texts
    assert any(t.startswith("row 5, column eco_activite:") for t in texts), texts
    assert not Survey.objects.exists()  # all or nothing: the good row 2 is not imported either


def test_an_export_without_the_case_number_column_is_refused(example, case_manager):
    version, _weights = example
    report = services.submissions_import(by=case_manager, content=_csv([["round", "collected_on"], ["intake", "2024-01-01"]]),
                                         file_name="x.csv", version=version)
    assert str(report["problems"][0]).startswith("row 1, column case_number: missing column")


def test_a_counsellor_cannot_import_surveys_of_a_case_they_do_not_follow(example, survey_case, insertion_counsellor):
    version, _weights = example
    rows = [["case_number", "round", "collected_on", "eco_activite"], [survey_case.number, "intake", "2024-02-01", "oui"]]
    report = services.submissions_import(by=insertion_counsellor, content=_csv(rows), file_name="x.csv", version=version)
    assert [str(p) for p in report["problems"]] == [
        f"row 2, column case_number: no case you follow has the number “{survey_case.number}”"]


def test_the_import_page_stores_the_file_and_the_task_imports_it(example, survey_case, case_manager, client_for,
                                                                 django_capture_on_commit_callbacks):
    version, _weights = example
    client = client_for(case_manager)
    content = _csv([["case_number", "round", "collected_on", "eco_activite"],
                    [survey_case.number, "intake", "2024-02-01", "oui"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:survey_import"), {
            "version": version.pk, "file": _file(content, "odk.csv")})
    assert response.status_code == 302
    upload = SurveyUpload.objects.get()
    assert upload.state == "done" and upload.result["imported"] == 1
    page = client.get(response["Location"]).content.decode()
    assert "odk.csv" in page


def _file(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_a_definition_workbook_with_errors_names_sheet_row_and_column():
    book = Workbook()
    book.remove(book.active)
    sheets = {
        "settings": [("title", "weights_label"), ("Officielle", "Pondération 2026")],
        "scales": [("scale", "option", "score", "label_fr", "label_en"), ("yn", "no", 0, "Non", "No"),
                   ("yn", "yes", 1.5, "Oui", "Yes")],
        "indicators": [("indicator", "dimension", "label_fr", "label_en"), ("inc", "financial", "Revenu", "Income")],
        "questions": [("question", "indicator", "scale", "text_fr", "text_en"), ("q1", "inc", "yn", "Q ?", "Q?")],
        "weights": [("level", "code", "weight"), ("dimension", "economic", 1)],
    }
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    _catalog, problems = catalog.parse_workbook(out.getvalue(), "def.xlsx")
    texts = [str(p) for p in problems]
    assert "scales, row 3, column score: “1.5”: a score is a number from 0 to 1 (at most 4 decimals)" in texts
    assert any(t.startswith("indicators, row 2, column dimension:") for t in texts), texts
    assert any(t.startswith("questions, row 2, column indicator:") for t in texts), texts


def test_the_template_workbook_loads_back_as_the_example(admin):
    content = catalog.to_workbook(catalog.example_catalog())
    parsed, problems = catalog.parse_workbook(content, "template.xlsx")
    assert problems == []
    assert parsed.questions == catalog.example_catalog().questions
    version, _weights = services.catalog_load(catalog=parsed, by=admin)
    assert SurveyVersion.objects.get(pk=version.pk).items.count() == len(parsed.questions)


def test_the_command_refuses_a_broken_workbook_and_loads_a_good_one(tmp_path, django_capture_on_commit_callbacks):
    from django.core.management import CommandError, call_command

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(CommandError):
        call_command("load_survey_definition", str(broken))
    good = tmp_path / "officiel.xlsx"
    good.write_bytes(catalog.to_workbook(catalog.example_catalog()))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_survey_definition", str(good), "--adopt")
    assert SurveyVersion.objects.get().is_example is False
