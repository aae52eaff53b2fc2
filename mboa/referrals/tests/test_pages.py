"""Pages: who sees what. A receiver never sees another structure's referrals, nor the
case, nor data that did not travel; list pages run a bounded number of queries."""

import pytest
from django.urls import reverse

from mboa.core.models import SensitiveAccess

from .. import agreements
from ..models import Referral, ReferralStatus
from .factories import give_consent, make_case, send, service, structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(case_manager):
    c = make_case(by=case_manager, family_name="Essomba", vulnerabilities=("medical",),
                  phone="+237677112233")
    give_consent(c, "MINAS", "MINSANTE", by=case_manager)
    return c


@pytest.fixture
def to_minas(case, case_manager):
    return send(case, by=case_manager, parts=("identity",), reason="Trauma after detention")


@pytest.fixture
def to_minsante(case, case_manager):
    return send(case, by=case_manager, to="MINSANTE", service_code="medical_care", parts=("identity", "health"),
                health_details="Needs dialysis")


def test_receiver_inbox_shows_only_their_structure(client_for, fp_minas, to_minas, to_minsante):
    page = client_for(fp_minas).get(reverse("referrals:inbox")).content.decode()
    assert to_minas.number in page and to_minsante.number not in page


def test_other_structure_gets_404(client_for, fp_minsante, to_minas):
    client = client_for(fp_minsante)
    assert client.get(reverse("referrals:detail", args=[to_minas.pk])).status_code == 404
    response = client.post(reverse("referrals:act", args=[to_minas.pk]), {"action": "accept"})
    assert response.status_code == 404
    to_minas.refresh_from_db()
    assert to_minas.status == ReferralStatus.SENT


def test_receiver_sees_only_what_travelled(client_for, fp_minas, to_minas):
    page = client_for(fp_minas).get(reverse("referrals:detail", args=[to_minas.pk])).content.decode()
    assert "Essomba" in page  # identity travelled
    assert "+237677112233" not in page  # contact did not
    assert "Medical needs" not in page and "dialysis" not in page
    assert to_minas.case.number not in page  # nor the case
    assert SensitiveAccess.objects.filter(user=fp_minas, target_id=str(to_minas.pk)).exists()


def test_health_details_reach_the_health_service(client_for, fp_minsante, to_minsante):
    page = client_for(fp_minsante).get(reverse("referrals:detail", args=[to_minsante.pk])).content.decode()
    assert "Needs dialysis" in page
    health = page.split('data-testid="health">', 1)[1].split("</dd>", 1)[0]
    assert health.startswith("Medical needs") and "medical " not in health  # a label, not a code


def test_receiver_acts_from_the_page(client_for, fp_minas, to_minas):
    client = client_for(fp_minas)
    client.post(reverse("referrals:act", args=[to_minas.pk]), {"action": "accept"})
    to_minas.refresh_from_db()
    assert to_minas.status == ReferralStatus.ACCEPTED
    client.post(reverse("referrals:act", args=[to_minas.pk]), {"action": "not_deliver", "note": ""})
    to_minas.refresh_from_db()
    assert to_minas.status == ReferralStatus.ACCEPTED  # a reason is needed


def test_case_manager_sends_from_the_case(client_for, case_manager, case):
    client = client_for(case_manager)
    assert client.get(reverse("referrals:case_tab", args=[case.pk])).status_code == 200
    response = client.post(reverse("referrals:send", args=[case.pk]), {
        "service": "psychosocial_support", "structure": "MINAS", "urgency": "normal",
        "reason": "Support", "shared_parts": ["identity", "location"]})
    assert response.status_code == 302
    referral = Referral.objects.get(case=case)
    assert set(referral.shared_data) == {"identity", "location"}


def test_send_form_says_what_is_wrong(client_for, case_manager, case):
    response = client_for(case_manager).post(reverse("referrals:send", args=[case.pk]), {
        "service": "psychosocial_support", "structure": "MINAS", "urgency": "normal",
        "reason": "Support", "shared_parts": ["identity", "health"]})
    assert response.status_code == 400
    assert "Health details travel only to health services" in response.content.decode() or \
        "santé" in response.content.decode()
    assert not Referral.objects.exists()


def test_case_of_someone_else_404(client_for, make_user, case):
    other = make_user("OIM", ("case_manager",))
    other.structure = structure("MINJEC")
    other.save()
    assert client_for(other).get(reverse("referrals:send", args=[case.pk])).status_code == 404


def test_board_counts_and_query_count(client_for, case_manager, case, django_assert_max_num_queries):
    for _ in range(3):
        send(case, by=case_manager)
    client = client_for(case_manager)
    client.get(reverse("referrals:board"))  # warm caches (content types, session)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("referrals:board"))
    assert response.status_code == 200
    for _ in range(10):
        send(case, by=case_manager)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("referrals:board")).status_code == 200


def test_inbox_query_count(client_for, fp_minas, case, case_manager, django_assert_max_num_queries):
    for _ in range(12):
        send(case, by=case_manager)
    client = client_for(fp_minas)
    client.get(reverse("referrals:inbox"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("referrals:inbox")).status_code == 200


def test_board_links_agreements_only_to_those_who_follow_them(client_for, case_manager, make_user):
    agreements_url = reverse("referrals:agreement_list")
    counsellor = make_user("OIM", ("insertion_counsellor",), city="Yaoundé")
    board = client_for(counsellor).get(reverse("referrals:board"))
    assert board.status_code == 200 and agreements_url not in board.content.decode()
    assert client_for(counsellor).get(agreements_url).status_code == 403  # the link would have led here
    assert agreements_url in client_for(case_manager).get(reverse("referrals:board")).content.decode()


def test_board_closed_to_focal_points(client_for, fp_minas):
    assert client_for(fp_minas).get(reverse("referrals:board")).status_code == 403


def test_delays_page_has_table_and_chart(client_for, donor, to_minas, fp_minas):
    from ..services import referral_transition

    referral_transition(referral=to_minas, action="accept", by=fp_minas)
    page = client_for(donor).get(reverse("referrals:delays")).content.decode()
    assert 'data-testid="delay-chart"' in page and "MINAS" in page
    assert "Essomba" not in page
    name = service(to_minas.service_id).name
    assert name in page and f">{to_minas.service_id}<" not in page  # the service's name, not its code


def test_agreement_pages(client_for, secretariat, fp_minas, fp_minsante):
    a = agreements.agreement_create(by=secretariat, structure=structure("MINAS"), subject="Psychosocial care",
                                    services=[service("psychosocial_support")])
    client = client_for(secretariat)
    assert "Psychosocial care" in client.get(reverse("referrals:agreement_list")).content.decode()
    client.post(reverse("referrals:agreement_act", args=[a.pk]), {"action": "start_drafting", "ball_with": "default"})
    a.refresh_from_db()
    assert a.status == "drafting"
    assert client_for(fp_minas).get(reverse("referrals:agreement_detail", args=[a.pk])).status_code == 200
    assert client_for(fp_minsante).get(reverse("referrals:agreement_detail", args=[a.pk])).status_code == 404
    assert "Psychosocial care" not in client_for(fp_minsante).get(reverse("referrals:agreement_list")).content.decode()


def test_agreement_document_upload(client_for, secretariat, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path

    a = agreements.agreement_create(by=secretariat, structure=structure("MINAS"), subject="Care")
    client_for(secretariat).post(reverse("referrals:agreement_document", args=[a.pk]), {
        "title": "Draft", "file": SimpleUploadedFile("draft.pdf", b"%PDF-1.4\ntext\n")})
    assert a.documents.get().version == 1


def test_catalogue_lists_points(client_for, fp_minas):
    page = client_for(fp_minas).get(reverse("referrals:catalogue")).content.decode()
    assert "Hôpital Laquintinie de Douala" in page


def test_secretariat_board_counts_without_rows(client_for, secretariat, to_minas, to_minsante):
    page = client_for(secretariat).get(reverse("referrals:board")).content.decode()
    assert 'data-testid="count-sent">2<' in page
    assert to_minas.number not in page  # no rows of cases it does not see


def test_case_tab_query_count(client_for, case_manager, case, django_assert_max_num_queries):
    for _ in range(2):
        send(case, by=case_manager)
    client = client_for(case_manager)
    url = reverse("referrals:case_tab", args=[case.pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    for _ in range(10):
        send(case, by=case_manager)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
