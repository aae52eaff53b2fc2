"""A structure's identity (code, kind, parent, active) is changed by administrators only,
through the page and the API alike; its own focal points keep its description."""

import pytest

from mboa.actors import services
from mboa.actors.models import Structure

pytestmark = pytest.mark.django_db


def test_focal_point_cannot_change_identity_through_the_api(client_for, fp_minas):
    """The API used to accept what the page forbids (PATCH answered 200)."""
    response = client_for(fp_minas).patch("/api/v1/structures/MINAS/", {"code": "HACK", "kind": "donor",
                                                                        "is_active": False},
                                          content_type="application/json")
    assert response.status_code == 403
    minas = Structure.objects.get(pk=Structure.objects.get(code="MINAS").pk)
    assert (minas.code, minas.kind, minas.is_active) == ("MINAS", "ministry", True)


@pytest.mark.parametrize("field, value", [("code", "MINAS2"), ("kind", "donor"), ("is_active", False)])
def test_each_identity_field_needs_an_administrator(fp_minas, field, value):
    from django.core.exceptions import PermissionDenied

    minas = Structure.objects.get(code="MINAS")
    with pytest.raises(PermissionDenied):
        services.structure_update(structure=minas, by=fp_minas, data={field: value})


def test_focal_point_keeps_the_description_up_to_date(client_for, fp_minas):
    response = client_for(fp_minas).patch("/api/v1/structures/MINAS/", {"mandate": "Soutien psychosocial.",
                                                                         "code": "minas", "kind": "ministry"},
                                          content_type="application/json")
    assert response.status_code == 200, response.content  # identity sent unchanged: no identity change
    assert Structure.objects.get(code="MINAS").mandate == "Soutien psychosocial."


def test_administrator_changes_identity(client_for, admin):
    response = client_for(admin).patch("/api/v1/structures/MINAS/", {"kind": "public_agency"},
                                       content_type="application/json")
    assert response.status_code == 200
    assert Structure.objects.get(code="MINAS").kind == "public_agency"
