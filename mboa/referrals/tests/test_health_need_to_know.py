"""A referral's health details go to the health structure it is addressed to, and to nobody
else, whoever wrote or forwarded them (policy ``referral_health``: health staff, addressed).

The sending side (its administrators, case managers, supervisors, counsellors) sees *that*
health details were sent, never what they say; so does a receiving structure that is not a
health structure, even if health text was stored for it (planted here as an older version
could have stored it). The health staff addressed read them, and their read is logged.
"""

import pytest
from django.urls import reverse

from mboa.actors.models import Structure
from mboa.cases import services as case_services
from mboa.cases.models import Counsellor
from mboa.core.models import SensitiveAccess

from ..models import Referral
from .factories import api, give_consent, make_case, send

pytestmark = pytest.mark.django_db

HEALTH_TEXT = "Dialyse trois fois par semaine"
HEALTH_LABEL = "Medical needs"  # the label of the health vulnerability "medical"


@pytest.fixture
def case(personas):
    manager = personas["case_manager"]
    case = make_case(by=manager, family_name="Ngono", vulnerabilities=("medical",))
    for persona, kind, code in (("insertion_counsellor", "insertion", "MINJEC"),
                                ("psy_counsellor", "psychosocial", "MINAS")):
        counsellor = Counsellor.objects.create(user=personas[persona], kind=kind, city="Yaoundé",
                                               structure=Structure.objects.get(code=code))
        case = case_services.case_assign(case=case, counsellor=counsellor, by=manager)
    give_consent(case, "MINAS", "MINSANTE", by=manager)
    return case


@pytest.fixture
def to_minsante(case, personas):
    return send(case, by=personas["case_manager"], to="MINSANTE", service_code="medical_care",
                parts=("identity", "health"), health_details=HEALTH_TEXT)


@pytest.fixture
def to_minas_planted(case, personas):
    """A referral to MINAS (not a health structure) carrying health text in what is stored."""
    referral = send(case, by=personas["case_manager"], parts=("identity",))
    Referral.objects.filter(pk=referral.pk).update(
        health_details=HEALTH_TEXT, shared_parts=["identity", "health"],
        shared_data={**referral.shared_data, "health": {"vulnerabilities": ["medical"], "details": HEALTH_TEXT}})
    return referral


def _page(client_for, user, referral):
    response = client_for(user).get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _json(user, referral):
    response = api(user).get(f"/api/v1/referrals/{referral.pk}/")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("persona", ["admin", "case_manager", "supervisor", "insertion_counsellor", "psy_counsellor"])
def test_the_sending_side_sees_that_health_details_were_sent_not_what_they_say(persona, personas, to_minsante,
                                                                               client_for):
    user = personas[persona]
    page = _page(client_for, user, to_minsante)
    assert HEALTH_TEXT not in page and HEALTH_LABEL not in page
    assert 'data-testid="health-sent"' in page and 'data-testid="health"' not in page
    seen = _json(user, to_minsante)
    assert HEALTH_TEXT not in str(seen) and "'medical'" not in str(seen)  # the code, not medical_care
    assert seen["health_sent"] is True and "health" not in seen["shared_data"]
    assert seen["shared_data"]["identity"]["family_name"] == "Ngono"
    # Their reads are logged for what they were shown: the identity, not the health details.
    for read in SensitiveAccess.objects.filter(user=user, target_id=str(to_minsante.pk)):
        assert read.fields == ["shared_data"]


@pytest.mark.parametrize("persona", ["case_manager", "supervisor"])
def test_the_sending_side_lists_carry_no_health_text(persona, personas, case, to_minsante, client_for):
    client = client_for(personas[persona])
    for page in (reverse("referrals:board"), reverse("referrals:case_tab", args=[case.pk])):
        response = client.get(page)
        assert response.status_code == 200 and HEALTH_TEXT not in response.content.decode()
    assert HEALTH_TEXT not in api(personas[persona]).get("/api/v1/referrals/").content.decode()


def test_a_receiving_structure_that_is_not_a_health_structure_never_reads_health_text(
        fp_minas, case_manager, to_minas_planted, client_for):
    for user in (fp_minas, case_manager):
        page = _page(client_for, user, to_minas_planted)
        assert HEALTH_TEXT not in page and HEALTH_LABEL not in page
        seen = _json(user, to_minas_planted)
        assert HEALTH_TEXT not in str(seen) and seen["health_sent"] is True
    assert all("health_details" not in read.fields for read in SensitiveAccess.objects.all())


def test_the_health_structure_addressed_reads_them_and_its_read_is_logged(fp_minsante, to_minsante, client_for):
    page = _page(client_for, fp_minsante, to_minsante)
    health = page.split('data-testid="health">', 1)[1].split("</dd>", 1)[0]
    assert HEALTH_LABEL in health and HEALTH_TEXT in health
    seen = _json(fp_minsante, to_minsante)
    assert seen["shared_data"]["health"] == {"vulnerabilities": ["medical"], "details": HEALTH_TEXT}
    reads = SensitiveAccess.objects.filter(user=fp_minsante, target_id=str(to_minsante.pk))
    assert sorted((r.channel, tuple(r.fields)) for r in reads) == [
        ("api", ("health_details", "shared_data")), ("page", ("health_details", "shared_data"))]


def test_a_health_structure_not_addressed_does_not_read_them(make_user, case, personas, client_for, settings):
    """Another health structure (here MINAS, declared one) with a user who sees the case."""
    settings.MBOA = {**settings.MBOA, "HEALTH_STRUCTURES": ["MINSANTE", "MINAS"]}
    referral = send(case, by=personas["case_manager"], to="MINSANTE", service_code="medical_care",
                    parts=("identity", "health"), health_details=HEALTH_TEXT)
    psy = personas["psy_counsellor"]  # MINAS, assigned to the case: sees the referral, not its health part
    assert HEALTH_TEXT not in _page(client_for, psy, referral)
    assert HEALTH_TEXT not in str(_json(psy, referral))
