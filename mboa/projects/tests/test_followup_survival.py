"""Project survival at 6 and 12 months, against a fixture whose counts are known by hand.

Today is T. Each project below is installed (the fixture sets the installation date) and
visited through the services; ``mo`` is months after installation.

| project | installed | lead | visits                         | at 6 months      | at 12 months       |
|---------|-----------|------|--------------------------------|------------------|--------------------|
| A       | T-13 mo   | F    | 6 mo running, 12 mo running    | surviving        | surviving          |
| B       | T-13 mo   | F    | 6 mo struggling, 12 mo stopped | surviving        | stopped            |
| C       | T-13 mo   | F    | 6 mo sold                      | sold             | sold               |
| D       | T-13 mo   | M    | 6 mo missed                    | unknown          | unknown            |
| E       | T-7 mo    | M    | 6 mo running                   | surviving        | not long enough    |
| F       | T-2 mo    | M    | none                           | not long enough  | not long enough    |
| G       | T-8 mo    | M    | 3 mo stopped                   | stopped          | not long enough    |
| H       | T-13 mo   | M    | unplanned at 7 mo: running     | surviving        | unknown            |

At 6 months: 7 installed long enough, 4 surviving (A, B, E, H), 1 sold, 1 stopped, 1 unknown.
At 12 months: 5 installed long enough, 1 surviving (A), 1 sold, 1 stopped (B), 2 unknown.
"""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mboa.projects import followup
from mboa.projects.models import Dossier, FollowUpVisit
from mboa.projects.outcomes import survival_rows

from .factories import make_dossier

pytestmark = pytest.mark.django_db

PLAN = {  # name: (months installed ago, lead's sex, filière, [(milestone or months for unplanned, status)])
    "A": (13, "F", "boutique", [(6, "running"), (12, "running")]),
    "B": (13, "F", "boutique", [(6, "struggling"), (12, "stopped")]),
    "C": (13, "F", "boutique", [(6, "sold")]),
    "D": (13, "M", "boutique", [(6, "missed")]),
    "E": (7, "M", "boutique", [(6, "running")]),
    "F": (2, "M", "boutique", []),
    "G": (8, "M", "boutique", [(3, "stopped")]),
    "H": (13, "M", "boutique", [("unplanned", 7, "running")]),
}


@pytest.fixture
def survival(insertion_counsellor):
    today = timezone.localdate()
    made = {}
    for name, (ago, sex, filiere, visits) in PLAN.items():
        dossier = make_dossier(by=insertion_counsellor, sex=sex, filiere=filiere, title=f"Projet {name}")
        Dossier.objects.filter(pk=dossier.pk).update(status="installed",
                                                     installed_on=followup.add_months(today, -ago))
        dossier = Dossier.objects.get(pk=dossier.pk)
        followup.dossier_followups_plan(dossier=dossier)
        for visit in visits:
            if visit[0] == "unplanned":
                followup.visit_record(dossier=dossier, by=insertion_counsellor, mode="phone", status=visit[2],
                                      visited_on=followup.add_months(dossier.installed_on, visit[1]))
                continue
            milestone, status = visit
            planned = dossier.visits.get(milestone_months=milestone)
            if status == "missed":
                followup.visit_miss(visit=planned, by=insertion_counsellor, reason="unreachable")
            else:
                followup.visit_complete(visit=planned, by=insertion_counsellor, visited_on=planned.due_on,
                                        mode="on_site", status=status, notes="RAS")
        made[name] = dossier
    return made


def test_survival_at_6_and_12_months_matches_the_hand_count(survival):
    (six,) = survival_rows(months=6, by="total", filters={})
    assert {k: six[k] for k in ("installed", "surviving", "sold", "stopped", "unknown")} == {
        "installed": 7, "surviving": 4, "sold": 1, "stopped": 1, "unknown": 1}
    assert six["rate"] == pytest.approx(4 / 7)
    (twelve,) = survival_rows(months=12, by="total", filters={})
    assert {k: twelve[k] for k in ("installed", "surviving", "sold", "stopped", "unknown")} == {
        "installed": 5, "surviving": 1, "sold": 1, "stopped": 1, "unknown": 2}


def test_survival_per_sex_and_with_a_filter(survival):
    by_sex = {row["value"]: row for row in survival_rows(months=6, by="sex", filters={})}
    assert (by_sex["F"]["installed"], by_sex["F"]["surviving"]) == (3, 2)  # A, B of A, B, C
    assert (by_sex["M"]["installed"], by_sex["M"]["surviving"]) == (4, 2)  # E, H of D, E, G, H
    assert str(by_sex["F"]["label"]) in ("Féminin", "Female", "Femme")
    (women,) = survival_rows(months=12, by="total", filters={"sex": "F"})
    assert (women["installed"], women["surviving"], women["stopped"]) == (3, 1, 1)
    (row,) = survival_rows(months=6, by="filiere", filters={})
    assert (row["value"], row["installed"], row["surviving"]) == ("boutique", 7, 4)


def test_survival_is_one_query_whatever_the_number_of_projects(survival, django_assert_num_queries):
    with django_assert_num_queries(1):
        survival_rows(months=6, by="kind", filters={"region": "LT"})


def test_unknown_dimension_is_refused():
    with pytest.raises(ValueError):
        survival_rows(months=6, by="town", filters={})


def test_survival_page_and_download(survival, client_for, donor, fp_minsante):
    client = client_for(donor)
    page = client.get(reverse("projects:survival"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "57" in text or "57,1" in text  # 4/7 at 6 months
    assert "Promoteur0" not in text  # figures only: nobody named
    download = client.get(reverse("projects:survival"), {"format": "xlsx"})
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    total = next(row for row in rows if row[0] in ("Tous les projets", "All projects") and row[1] is not None)
    assert total[1:7] == [7, 4, 1, 1, 1, round(4 / 7, 4)]  # at 6 months
    assert total[7:12] == [5, 1, 1, 1, 2]  # at 12 months
    assert client_for(fp_minsante).get(reverse("projects:survival")).status_code == 403


def test_the_sold_project_shows_sold_on_its_dossier(survival):
    assert Dossier.objects.get(pk=survival["C"].pk).operating_status == "sold"
    assert FollowUpVisit.objects.filter(dossier=survival["D"], state="missed").count() == 1


def test_the_download_never_holds_a_formula():
    from mboa.projects.outcomes import survival_xlsx

    tables = [{"label": "=HYPERLINK(\"x\")", "rows": [{"label": "+1+cmd", "at": {}}]}]
    sheet = load_workbook(io.BytesIO(survival_xlsx(tables, [6]))).worksheets[0]
    assert sheet["A1"].value == "'=HYPERLINK(\"x\")" and sheet["A3"].value == "'+1+cmd"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
