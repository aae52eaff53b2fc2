"""Shared fixtures: the cast of personas every permission test uses.

The structures and bodies come from the data migrations (they are reference data), so
tests see the real 18 structures. Users are made by factories, one per persona:

- ``admin``: administrator at OIM
- ``case_manager``: IOM case manager (Yaoundé)
- ``insertion_counsellor``: MINJEC insertion counsellor
- ``psy_counsellor``: MINAS psychosocial counsellor
- ``fp_minsante`` / ``fp_minas``: focal points of MINSANTE and MINAS — each must see
  nothing of the other's structure-scoped data
- ``secretariat``: OIM secretariat of the bodies
- ``donor``: DUE, read-only
- ``statistician``: INS, anonymised statistics only
- ``supervisor``: IOM case manager named supervisor (approves plans, closures, transfers)

``personas`` gives them all at once, by name, for the tests that run every rule as every
persona (page/API parity, selector scopes: ``mboa.core.testing``).
"""

import pytest

from mboa.accounts.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (live server, real workers) run in a database that earlier such
    tests flushed: put the reference data of the data migrations back first."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from mboa.core.reference import reload_reference_data

        reload_reference_data()


@pytest.fixture
def make_user(db):
    def make(structure: str = "OIM", roles: tuple[str, ...] = (), **kwargs):
        return UserFactory(structure_code=structure, roles=list(roles), **kwargs)

    return make


@pytest.fixture
def admin(make_user):
    return make_user("OIM", ("admin",), username="admin.test")


@pytest.fixture
def case_manager(make_user):
    return make_user("OIM", ("case_manager",), city="Yaoundé")


@pytest.fixture
def insertion_counsellor(make_user):
    return make_user("MINJEC", ("insertion_counsellor",), city="Yaoundé")


@pytest.fixture
def psy_counsellor(make_user):
    return make_user("MINAS", ("psychosocial_counsellor",), city="Douala")


@pytest.fixture
def fp_minsante(make_user):
    return make_user("MINSANTE", ("focal_point",))


@pytest.fixture
def fp_minas(make_user):
    return make_user("MINAS", ("focal_point",))


@pytest.fixture
def secretariat(make_user):
    return make_user("OIM", ("secretariat",))


@pytest.fixture
def donor(make_user):
    return make_user("DUE", ("donor",))


@pytest.fixture
def statistician(make_user):
    return make_user("INS", ("statistician",))


@pytest.fixture
def client_for(client):
    """``client_for(user)``: a test client signed in as ``user``."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def supervisor(make_user):
    from mboa.cases.tests.factories import make_supervisor

    user = make_user("OIM", ("case_manager",), city="Yaoundé", username="supervisor.test")
    make_supervisor(user)
    return user


@pytest.fixture
def personas(admin, case_manager, insertion_counsellor, psy_counsellor, fp_minsante, fp_minas, secretariat, donor,
             statistician, supervisor):
    return {"admin": admin, "case_manager": case_manager, "insertion_counsellor": insertion_counsellor,
            "psy_counsellor": psy_counsellor, "fp_minsante": fp_minsante, "fp_minas": fp_minas,
            "secretariat": secretariat, "donor": donor, "statistician": statistician, "supervisor": supervisor}
