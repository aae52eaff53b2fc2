"""Manifest import: formats that offices really send, and every bad input refused whole."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mboa.reception import services
from mboa.reception.models import Manifest, MatchStatus, Passenger
from mboa.reception.tests.factories import GOOD_ROWS, ArrivalFactory, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrival(db):
    return ArrivalFactory(reference="ly-162", kind="charter", expected_people=162)


def _import(arrival, user, content, name="manifest.csv", **kw):
    return services.manifest_import(arrival=arrival, by=user, content=content, file_name=name, **kw)


def _messages(report):
    return [str(p) for p in report.problems]


def test_utf8_comma_csv_imports_every_row(arrival, case_manager):
    report = _import(arrival, case_manager, csv_bytes(GOOD_ROWS))
    assert report.ok, _messages(report)
    assert report.imported == 3
    people = list(arrival.passengers.order_by("number"))
    assert [p.number for p in people] == [1, 2, 3]
    first, second, third = people
    assert (first.birth_year, first.birth_month, first.birth_day) == (1990, 4, 12)
    assert first.nationality == "CM" and first.phone == "+237699123456"
    assert (second.birth_year, second.birth_month, second.birth_day) == (1995, 5, None)  # 00/05/1995
    assert (third.sex, third.birth_year, third.birth_month) == ("M", 1988, None)  # H, year only
    assert second.vulnerability_remarks == "enceinte"
    assert Manifest.objects.get().status == "imported"


def test_windows_1252_semicolon_with_bom_is_read(arrival, case_manager):
    content = csv_bytes(GOOD_ROWS, sep=";", encoding="cp1252")
    report = _import(arrival, case_manager, content)
    assert report.ok, _messages(report)
    assert report.encoding == "cp1252" and report.separator == ";"
    assert arrival.passengers.filter(given_names="Hélène").exists()
    report = _import(ArrivalFactory(), case_manager, csv_bytes(GOOD_ROWS, sep=";", bom=True))
    assert report.ok and report.encoding == "utf-8-sig"


def test_xlsx_with_real_date_cells(arrival, case_manager):
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Family name", "Given names", "Sex", "Date of birth", "Nationality"])
    ws.append(["Abena", "Marie", "F", dt.datetime(1992, 3, 1), "CM"])
    ws.append(["Owona", "Paul", "M", 1985, "Cameroun"])
    out = io.BytesIO()
    wb.save(out)
    report = _import(arrival, case_manager, out.getvalue(), name="list.xlsx")
    assert report.ok, _messages(report)
    assert arrival.passengers.get(family_name="Abena").birth_month == 3
    assert arrival.passengers.get(family_name="Owona").birth_year == 1985


def test_unknown_columns_are_refused_until_mapped(arrival, case_manager):
    content = csv_bytes([["Atangana", "Paul", "M", "1990"]], header=["Surname", "Given", "Sex", "Année"])
    report = _import(arrival, case_manager, content)
    assert not report.ok and report.needs_mapping
    assert "row 1, column Given: unknown column" in " ".join(_messages(report))
    assert "row 1, column Année" in " ".join(_messages(report))
    assert not Passenger.objects.exists()
    report = _import(arrival, case_manager, content, mapping={"1": "given_names", "3": "date_of_birth"})
    assert report.ok, _messages(report)
    assert arrival.passengers.get().given_names == "Paul"


@pytest.mark.parametrize(("cell", "expected"), [
    ("31/02/1990", "row 3, column Date de naissance: “31/02/1990”: this day does not exist"),
    ("1990-13-01", "row 3, column Date de naissance: “1990-13-01”: there is no month 13"),
    ("12/12/2090", "row 3, column Date de naissance"),
    ("hier", "row 3, column Date de naissance: “hier” is not a date"),
])
def test_impossible_dates_refuse_the_whole_file(arrival, case_manager, cell, expected):
    rows = [GOOD_ROWS[0], [*GOOD_ROWS[1][:3], cell, *GOOD_ROWS[1][4:]], GOOD_ROWS[2]]
    report = _import(arrival, case_manager, csv_bytes(rows))
    assert not report.ok
    assert any(m.startswith(expected) for m in _messages(report)), _messages(report)
    assert not Passenger.objects.exists()


def test_duplicated_rows_are_refused(arrival, case_manager):
    report = _import(arrival, case_manager, csv_bytes([*GOOD_ROWS, GOOD_ROWS[0]]))
    assert "row 5, column Nom: duplicate of row 2" in _messages(report)
    assert not Passenger.objects.exists()


def test_same_document_twice_is_refused(arrival, case_manager):
    other = ["Kamga", "Luc", "M", "1970", "", "CM", "p-123456", "", ""]
    report = _import(arrival, case_manager, csv_bytes([GOOD_ROWS[0], other]))
    assert "row 3, column Numéro de document: document number already given on row 2" in _messages(report)


def test_people_already_on_the_arrival_are_refused(arrival, case_manager):
    assert _import(arrival, case_manager, csv_bytes(GOOD_ROWS[:1])).ok
    report = _import(arrival, case_manager, csv_bytes(GOOD_ROWS))
    assert any("already on this arrival's list (no. 1)" in m for m in _messages(report))
    assert arrival.passengers.count() == 1


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3+cmd"])
def test_formula_looking_cells_are_refused(arrival, case_manager, cell):
    rows = [GOOD_ROWS[0], [cell, *GOOD_ROWS[1][1:]]]
    report = _import(arrival, case_manager, csv_bytes(rows))
    assert any(m.startswith("row 3, column Nom: looks like a formula") for m in _messages(report)), _messages(report)
    assert not Passenger.objects.exists()


def test_formula_in_xlsx_is_refused(arrival, case_manager):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Nom", "Prénoms", "Sexe"])
    ws.append(["Abena", '=HYPERLINK("http://evil","clic")', "F"])
    out = io.BytesIO()
    wb.save(out)
    report = _import(arrival, case_manager, out.getvalue(), name="l.xlsx")
    assert any(m.startswith("row 2, column Prénoms: looks like a formula") for m in _messages(report))
    assert not Passenger.objects.exists()


@pytest.mark.parametrize(("content", "name", "expected"), [
    (b"", "empty.csv", "the file is empty"),
    (b"   \r\n", "blank.csv", "the file is empty"),
    (b"%PDF-1.4 binary", "manifest.pdf", "unsupported file type"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "old.xls", "unsupported file type"),
    (b"Nom,Sexe\r\n", "header-only.csv", "there is no passenger"),
    (b"PK\x03\x04garbage", "broken.xlsx", "unreadable XLSX"),
])
def test_unreadable_files_are_refused_with_a_reason(arrival, case_manager, content, name, expected):
    report = _import(arrival, case_manager, content, name=name)
    assert not report.ok
    assert expected in _messages(report)[0]
    assert name in _messages(report)[0]
    assert not Passenger.objects.exists() and not Manifest.objects.exists()


def test_twenty_megabyte_file_is_refused_before_reading(arrival, case_manager):
    content = csv_bytes(GOOD_ROWS) + b"x" * (20 * 1024 * 1024)
    report = _import(arrival, case_manager, content)
    assert "the limit is 5.0 MB" in _messages(report)[0]
    assert not Passenger.objects.exists()


def test_upload_page_refuses_twenty_megabytes(client_for, case_manager, arrival):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(case_manager)
    big = SimpleUploadedFile("big.csv", b"Nom\r\n" + b"a\r\n" * (10 * 1024 * 1024), content_type="text/csv")
    response = client.post(f"/reception/{arrival.reference}/manifest/", {"file": big})
    assert response.status_code == 400
    assert "the limit is 5.0 MB" in response.content.decode()
    assert not Manifest.objects.exists()


def test_every_problem_is_listed_not_only_the_first(arrival, case_manager):
    rows = [["", "A", "M", "1990"], ["B", "A", "Z", "31/02/1990"], ["C", "A", "M", "1990-01-01"]]
    report = _import(arrival, case_manager, csv_bytes(rows, header=["Nom", "Prénoms", "Sexe", "Date de naissance"]))
    messages = _messages(report)
    assert "row 2, column Nom: the family name is empty" in messages
    assert any(m.startswith("row 3, column Sexe: “Z” is not a sex") for m in messages)
    assert any(m.startswith("row 3, column Date de naissance") for m in messages)


def test_registry_match_flags_an_earlier_record(arrival, case_manager):
    from mboa.registry import services as registry

    registry.person_create(by=case_manager, data={"family_name": "Atangana", "given_names": "Jean-Paul", "sex": "M",
                                                  "birth_year": 1990, "birth_month": 4, "birth_day": 12},
                           documents=[{"kind": "passport", "number": "P123456"}])
    report = _import(arrival, case_manager, csv_bytes(GOOD_ROWS))
    assert report.ok and report.probable_matches == 1
    flagged = arrival.passengers.get(family_name="Atangana")
    assert flagged.match_status == MatchStatus.PROBABLE
    assert flagged.match_candidates[0]["probable"] is True
    assert arrival.passengers.get(family_name="Ngo Bassa").match_status == MatchStatus.NONE


def test_dry_run_writes_nothing(arrival, case_manager):
    report = _import(arrival, case_manager, csv_bytes(GOOD_ROWS), dry_run=True)
    assert report.ok and report.imported == 0
    assert not Passenger.objects.exists()


def test_web_upload_review_and_import(client_for, case_manager, arrival):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(case_manager)
    response = client.post(f"/reception/{arrival.reference}/manifest/",
                           {"file": SimpleUploadedFile("m.csv", csv_bytes(GOOD_ROWS), content_type="text/csv")})
    assert response.status_code == 302
    review = client.get(response["Location"])
    assert "Import 3 returnees" in review.content.decode() or "Importer 3" in review.content.decode()
    assert not Passenger.objects.exists()
    response = client.post(response["Location"], {"do": "import"})
    assert response.status_code == 302
    assert arrival.passengers.count() == 3


def test_web_review_lists_problems_by_row_and_column(client_for, case_manager, arrival):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(case_manager)
    rows = [GOOD_ROWS[0], [*GOOD_ROWS[1][:3], "31/02/1990", *GOOD_ROWS[1][4:]]]
    response = client.post(f"/reception/{arrival.reference}/manifest/",
                           {"file": SimpleUploadedFile("m.csv", csv_bytes(rows), content_type="text/csv")})
    page = client.get(response["Location"]).content.decode()
    assert "data-testid=\"manifest-refused\"" in page
    assert "<td>3</td><td>Date de naissance</td>" in page
    response = client.post(response["Location"], {"do": "import"})
    assert response.status_code == 400
    assert not Passenger.objects.exists()


def test_other_roles_cannot_import(client_for, fp_minsante, arrival):
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the service
        _import(arrival, fp_minsante, csv_bytes(GOOD_ROWS))
    assert client_for(fp_minsante).get(f"/reception/{arrival.reference}/manifest/").status_code == 403


# --- The command ------------------------------------------------------------------------------

def test_command_imports_and_summarises(arrival, admin, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS, sep=";", encoding="cp1252"))
    out = io.StringIO()
    call_command("import_manifest", str(path), "--arrival", arrival.reference, stdout=out)
    assert "imported 3 returnee(s) for ly-162" in out.getvalue()
    assert arrival.passengers.count() == 3


def test_command_dry_run(arrival, admin, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS))
    out = io.StringIO()
    call_command("import_manifest", str(path), "--arrival", arrival.reference, "--dry-run", stdout=out)
    assert "would import 3" in out.getvalue()
    assert not Passenger.objects.exists()


def test_command_refuses_and_lists_every_problem(arrival, admin, tmp_path):
    path = tmp_path / "bad.csv"
    rows = [GOOD_ROWS[0], [*GOOD_ROWS[1][:3], "31/02/1990", *GOOD_ROWS[1][4:]], GOOD_ROWS[0]]
    path.write_bytes(csv_bytes(rows))
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_manifest", str(path), "--arrival", arrival.reference, stderr=err)
    lines = err.getvalue().splitlines()
    assert "bad.csv: row 3, column Date de naissance: “31/02/1990”: this day does not exist" in lines
    assert "bad.csv: row 4, column Nom: duplicate of row 2" in lines
    assert "nothing was imported" in str(error.value)
    assert error.value.returncode == 1  # the exit status of manage.py
    assert not Passenger.objects.exists()


def test_command_maps_columns(arrival, admin, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes([["Atangana", "Paul"]], header=["Surname", "Given"]))
    call_command("import_manifest", str(path), "--arrival", arrival.reference, "--map", "Given=given_names",
                 stdout=io.StringIO())
    assert arrival.passengers.get().given_names == "Paul"
