"""An administrator does not make themselves a counsellor or a supervisor in the Django admin
(a psychosocial counsellor reads the most restricted notes); another administrator does."""

import pytest

from mboa.actors.models import Structure
from mboa.cases.models import Counsellor, Supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client, make_user):
    user = make_user("OIM", ("admin",), username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _add_counsellor(client, user):
    return client.post("/admin/cases/counsellor/add/", {
        "user": user.pk, "kind": "psychosocial", "structure": Structure.objects.get(code="MINAS").pk,
        "city": "Yaoundé", "is_active": "on"}, follow=True)


def test_an_administrator_cannot_make_themselves_a_counsellor_or_a_supervisor(client, root):
    response = _add_counsellor(client, root)
    assert "Another administrator" in response.content.decode() or "Un autre administrateur" in response.content.decode()
    assert not Counsellor.objects.filter(user=root).exists()
    client.post("/admin/cases/supervisor/add/", {"user": root.pk}, follow=True)
    assert not Supervisor.objects.filter(user=root).exists()


def test_another_administrator_can(client, root, make_user):
    colleague = make_user("MINAS", ("psychosocial_counsellor",), username="colleague")
    _add_counsellor(client, colleague)
    assert Counsellor.objects.filter(user=colleague, kind="psychosocial").exists()
