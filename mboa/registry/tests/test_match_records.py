"""The match_records command on small files: every date format, one file or two, and bad
input refused with the file, row and column at fault (and no output written)."""

import csv

import pytest
from django.core.management import CommandError, call_command

HEADER = "id,family_name,given_name,sex,date_of_birth,place_of_birth,nationality,document_number,phone,address\n"


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _pairs(path):
    with path.open() as f:
        return [(r["left_id"], r["right_id"], float(r["score"])) for r in csv.DictReader(f)]


def test_duplicates_within_one_file_with_every_date_format(tmp_path):
    left = _write(tmp_path, "left.csv", HEADER + (
        "1,Tchakounté,Jean-Paul,M,1990-04-12,Bafoussam,CM,,699123456,\n"
        "2,Chakounte,Jean Paul,M,19900412,,CM,,,\n"
        "3,TCHAKOUNTE,Jean-Paul,M,04/12/1990,,CM,,,\n"
        "4,Ngono,Marie,F,1995,,CM,,,\n"
        "5,Ngono,Marie,F,1971-08-20,,CM,,,\n"
    ))
    out = tmp_path / "pairs.csv"
    call_command("match_records", str(left), "--out", str(out))
    assert {(a, b) for a, b, _s in _pairs(out)} == {("1", "2"), ("1", "3"), ("2", "3")}
    assert all(0.8 <= s <= 1 for *_ids, s in _pairs(out))


def test_link_two_files_and_threshold(tmp_path):
    left = _write(tmp_path, "left.csv", "id;family_name;given_name;date_of_birth\nL1;Abena;Brigitte;12/05/1988\n"
                                        "L2;Owona;Serge;1979-01-01\n")
    right = _write(tmp_path, "right.csv", HEADER + "R1,Abéna,Brigite,F,1988-05-12,,,,,\nR2,Owona,Serges,M,,,,,,\n")
    out = tmp_path / "pairs.csv"
    call_command("match_records", str(left), str(right), "--out", str(out))
    assert [(a, b) for a, b, _s in _pairs(out)] == [("L1", "R1")]
    call_command("match_records", str(left), str(right), "--out", str(out), "--threshold", "0.0")
    assert ("L2", "R2") in {(a, b) for a, b, _s in _pairs(out)}


def test_shared_phone_links_despite_a_new_spelling(tmp_path):
    left = _write(tmp_path, "left.csv", HEADER + "1,Aboubakar,Moussa,M,,,,,+237 677 00 01 11,\n")
    right = _write(tmp_path, "right.csv", HEADER + "9,Abubakar,Musa,M,1985,,,,677000111,\n")
    out = tmp_path / "pairs.csv"
    call_command("match_records", str(left), str(right), "--out", str(out))
    assert [(a, b) for a, b, _s in _pairs(out)] == [("1", "9")]


@pytest.mark.parametrize("content, message", [
    ("family_name,given_name\nMbarga,Jean\n", "row 1: no “id” column"),
    (HEADER + "1,Mbarga,Jean,M,1990-13-45,,,,,\n", "row 2, column date_of_birth: “1990-13-45” is not a date"),
    (HEADER + "1,Mbarga,Jean,M,,,,,,\n1,Ateba,Serge,M,,,,,,\n", "row 3, column id: “1” already used on row 2"),
    (HEADER + ",Mbarga,Jean,M,,,,,,\n", "row 2, column id: empty"),
    (HEADER + "1,Mbarga,Jean,X,,,,,,\n", "row 2, column sex"),
    (HEADER + "1,Mbarga,Jean,M,,,,,,,extra\n", "row 2: more values than columns"),
    (HEADER + "1,,,M,1990,,,,,\n", "row 2: no name, document or phone"),
    ("", "empty file"),
])
def test_bad_csv_is_refused_with_file_row_and_column(tmp_path, content, message):
    bad = _write(tmp_path, "bad.csv", content)
    out = tmp_path / "pairs.csv"
    with pytest.raises(CommandError) as error:
        call_command("match_records", str(bad), "--out", str(out))
    assert "bad.csv" in str(error.value) and message in str(error.value)
    assert not out.exists()


def test_not_utf8_is_refused(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(HEADER.encode() + "1,Tchakounté,Jean,M,,,,,,\n".encode("latin-1"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("match_records", str(bad), "--out", str(tmp_path / "o.csv"))
