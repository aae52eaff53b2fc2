"""Administrators change accounts' names, structure and roles on the accounts pages; their
own structure or roles only with a second administrator's approval; owners never their names."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mboa.accounts import services
from mboa.accounts.models import AccessRequest, AccessRequestStatus, Role
from mboa.actors.models import Structure
from mboa.core import activity
from mboa.core.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_admin(make_user):
    return make_user("OIM", ("admin",), username="admin.two")


def _access(structure, *roles):
    return {"structure": structure, "roles": [r.pk for r in Role.objects.filter(code__in=roles)], "action": "save"}


def test_an_administrator_may_not_move_themselves_into_minsante(client_for, admin):
    client = client_for(admin)
    response = client.post(reverse("accounts:user_access", args=[admin.pk]), _access("MINSANTE", "focal_point"))
    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.structure.code == "OIM" and admin.role_codes == {"admin"}
    with pytest.raises(PermissionDenied, match="another administrator"):
        services.user_access_set(user=admin, by=admin, structure=Structure.objects.get(code="MINSANTE"), roles=[])


def test_a_second_administrator_approves_a_change_of_ones_own_access(client_for, admin, second_admin):
    client = client_for(admin)
    page = client.get(reverse("accounts:user_detail", args=[admin.pk])).content.decode()
    assert "Ask another administrator" in page
    response = client.post(reverse("accounts:user_access", args=[admin.pk]),
                           {**_access("MINSANTE", "admin"), "action": "request", "note": "mission"})
    assert response.status_code == 302
    request = AccessRequest.objects.get(user=admin, status=AccessRequestStatus.PENDING)
    admin.refresh_from_db()
    assert admin.structure.code == "OIM"  # nothing changes yet
    # The requester may not approve it themselves.
    assert client.post(reverse("accounts:access_request_decide", args=[request.pk]),
                       {"decision": "approve"}).status_code == 403
    other = client_for(second_admin)
    listing = other.get(reverse("accounts:user_list")).content.decode()
    assert "mission" in listing and "Approve" in listing
    assert other.post(reverse("accounts:access_request_decide", args=[request.pk]),
                      {"decision": "approve"}).status_code == 302
    admin.refresh_from_db()
    admin.refresh_roles()
    assert admin.structure.code == "MINSANTE" and admin.role_codes == {"admin"}
    change = Activity.objects.get(verb="account.access_changed", target_id=str(admin.pk))
    assert change.actor_id == second_admin.pk


def test_an_administrator_changes_another_account_at_once(client_for, admin, fp_minas):
    response = client_for(admin).post(reverse("accounts:user_access", args=[fp_minas.pk]),
                                      _access("MINJEC", "focal_point"))
    assert response.status_code == 302
    fp_minas.refresh_from_db()
    assert fp_minas.structure.code == "MINJEC"


def test_others_may_not_manage_accounts(client_for, case_manager, fp_minas):
    client = client_for(case_manager)
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.post(reverse("accounts:user_access", args=[fp_minas.pk]),
                       _access("OIM", "admin")).status_code == 403
    assert client.post(reverse("accounts:user_names", args=[fp_minas.pk]),
                       {"first_name": "X", "last_name": "Y"}).status_code == 403


def test_owners_may_not_rewrite_their_names_through_the_api(client_for, fp_minas):
    client = client_for(fp_minas)
    first, last = fp_minas.first_name, fp_minas.last_name
    response = client.patch("/api/v1/me/", {"first_name": "Someone", "last_name": "Else"},
                            content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "first_name"
    fp_minas.refresh_from_db()
    assert (fp_minas.first_name, fp_minas.last_name) == (first, last)
    # Sending one's names unchanged with the rest is fine.
    ok = client.patch("/api/v1/me/", {"first_name": first, "city": "Garoua"}, content_type="application/json")
    assert ok.status_code == 200


def test_an_administrator_changes_names_and_history_keeps_the_old_one(client_for, admin, fp_minas):
    activity.record(verb="test.acted", actor=fp_minas, target=fp_minas)
    before = fp_minas.get_full_name()
    response = client_for(admin).post(reverse("accounts:user_names", args=[fp_minas.pk]),
                                      {"first_name": "Nouveau", "last_name": "Nom"})
    assert response.status_code == 302
    fp_minas.refresh_from_db()
    assert fp_minas.get_full_name() == "Nouveau Nom"
    assert Activity.objects.get(verb="test.acted").actor_name == before
