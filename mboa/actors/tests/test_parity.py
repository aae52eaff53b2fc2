"""Each directory write, through the page and through the API, as every persona: the same answer.

Writes that exist on one side only: none (structures and focal points are created and
changed on both; a focal point ends by getting an end date, on the edit page and by PATCH).
"""

import datetime as dt

import pytest

from mboa.actors import selectors
from mboa.actors.models import FocalPoint, Structure
from mboa.actors.tests.factories import FocalPointFactory
from mboa.core.testing import DONE, Request, Write, parity_answers, scope_disagreements

pytestmark = pytest.mark.django_db

MINAS_PAGE = {"code": "MINAS", "name_fr": "Ministère des Affaires Sociales", "name_en": "Ministry of Social Affairs",
              "kind": "ministry", "parent": "", "is_active": "on"}


def _structure(code):
    return Structure.objects.filter(code=code).values_list("kind", "mandate", "is_active").first()


@pytest.fixture
def focal_point():
    return FocalPointFactory(structure=Structure.objects.get(code="MINAS"), family_name="Ngo Bassa",
                             start_date=dt.date(2020, 1, 1))


def _writes(focal_point):
    fp_page = {"given_names": focal_point.given_names, "family_name": focal_point.family_name,
               "function": focal_point.function, "phone": focal_point.phone, "start_date": "2020-01-01"}
    return [
        Write("structure create",
              page=lambda: Request("post", "/structures/new/", {
                  "code": "cvuc", "name_fr": "CVUC", "name_en": "UCCC", "kind": "local_authority", "is_active": "on"}),
              api=lambda: Request("post", "/api/v1/structures/", {
                  "code": "cvuc", "name_fr": "CVUC", "name_en": "UCCC", "kind": "local_authority"}),
              effect=lambda: Structure.objects.filter(code="CVUC").exists()),
        Write("structure description",
              page=lambda: Request("post", "/structures/MINAS/edit/", {**MINAS_PAGE, "mandate": "Soutien."}),
              api=lambda: Request("patch", "/api/v1/structures/MINAS/", {"mandate": "Soutien."}),
              effect=lambda: _structure("MINAS")),
        Write("structure identity",
              page=lambda: Request("post", "/structures/MINAS/edit/", {**MINAS_PAGE, "kind": "public_agency"}),
              api=lambda: Request("patch", "/api/v1/structures/MINAS/", {"kind": "public_agency"}),
              effect=lambda: _structure("MINAS")),
        Write("structure deactivation",
              page=lambda: Request("post", "/structures/MINAS/edit/", {k: v for k, v in MINAS_PAGE.items()
                                                                       if k != "is_active"}),
              api=lambda: Request("patch", "/api/v1/structures/MINAS/", {"is_active": False}),
              effect=lambda: _structure("MINAS")),
        Write("focal point add",
              page=lambda: Request("post", "/structures/MINAS/focal-points/new/", {
                  "given_names": "Pélagie", "family_name": "Nkou", "start_date": "2024-01-01"}),
              api=lambda: Request("post", "/api/v1/focal-points/", {
                  "structure": "MINAS", "given_names": "Pélagie", "family_name": "Nkou", "start_date": "2024-01-01"}),
              effect=lambda: FocalPoint.objects.filter(family_name="Nkou").count()),
        Write("focal point update",
              page=lambda: Request("post", f"/structures/focal-points/{focal_point.pk}/", {**fp_page,
                                                                                         "function": "Chef"}),
              api=lambda: Request("patch", f"/api/v1/focal-points/{focal_point.pk}/", {"function": "Chef"}),
              effect=lambda: FocalPoint.objects.get(pk=focal_point.pk).function),
        Write("focal point end",
              page=lambda: Request("post", f"/structures/focal-points/{focal_point.pk}/", {**fp_page,
                                                                                         "end_date": "2024-06-30"}),
              api=lambda: Request("patch", f"/api/v1/focal-points/{focal_point.pk}/", {"end_date": "2024-06-30"}),
              effect=lambda: FocalPoint.objects.get(pk=focal_point.pk).end_date),
    ]


EXPECTED_DONE = {
    "structure create": {"admin"},
    "structure description": {"admin", "fp_minas"},
    "structure identity": {"admin"},
    "structure deactivation": {"admin"},
    "focal point add": {"admin", "fp_minas"},
    "focal point update": {"admin", "fp_minas"},
    "focal point end": {"admin", "fp_minas"},
}


@pytest.mark.parametrize("name", list(EXPECTED_DONE))
def test_page_and_api_answer_alike(client, personas, focal_point, name):
    write = next(w for w in _writes(focal_point) if w.name == name)
    answers = parity_answers(client, personas, write)
    assert {p: page for p, (page, api) in answers.items() if page != api} == {}, answers
    assert {p for p, (page, _api) in answers.items() if page == DONE} == EXPECTED_DONE[name], answers
    assert any(page != DONE for page, _api in answers.values())


def test_focal_point_list_agrees_with_the_directory_rule(personas, focal_point):
    FocalPointFactory(structure=Structure.objects.get(code="MINSANTE"), former=True)
    assert scope_disagreements(users=personas, listed=lambda u: selectors.focal_point_list_for_user(user=u),
                               rule="actors.view_directory", candidates=FocalPoint.objects.all()) == []
