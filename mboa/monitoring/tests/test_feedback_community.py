"""Community projects (beneficiaries counted, never named) and awareness activities (the
returnees who spoke are named to IOM and the counsellors, and the read is logged)."""

import datetime as dt

import pytest
from django.urls import reverse

from mboa.cases.tests.factories import make_case
from mboa.core.models import SensitiveAccess
from mboa.monitoring.feedback import services
from mboa.monitoring.feedback.models import AwarenessActivity, CommunityBeneficiaries, CommunityProject

pytestmark = pytest.mark.django_db


def test_a_community_project_and_its_beneficiaries_by_page(client_for, insertion_counsellor, donor):
    client = client_for(insertion_counsellor)
    response = client.post(reverse("monitoring:community_create"), {
        "title": "Forage de Mbankomo", "region": "CE", "status": "running", "started_on": "2024-03-01",
        "budget_xaf": "9500000", "returnees": "4"})
    project = CommunityProject.objects.get()
    assert response.status_code == 302 and project.reference.startswith("PC-2024-")
    client.post(reverse("monitoring:community_beneficiaries", args=[project.pk]),
                {"F_0-17": "12", "M_0-17": "10", "F_50+": "3"})
    assert sorted(CommunityBeneficiaries.objects.values_list("sex", "age_group", "count")) == [
        ("F", "0-17", 12), ("F", "50+", 3), ("M", "0-17", 10)]
    page = client_for(donor).get(reverse("monitoring:community_detail", args=[project.pk]))
    assert page.status_code == 200 and 'data-testid="beneficiaries-total">25<' in page.content.decode()
    donor_client = client_for(donor)
    assert donor_client.get(reverse("monitoring:community_create")).status_code == 403
    assert donor_client.post(reverse("monitoring:community_create"), {"title": "x", "region": "CE",
                                                                       "status": "planned"}).status_code == 403
    assert donor_client.get(reverse("monitoring:community_beneficiaries", args=[project.pk])).status_code == 403


def test_an_awareness_activity_names_its_speakers_to_those_who_may_read_them(client_for, case_manager, donor,
                                                                            fp_minas):
    case = make_case(by=case_manager, family_name="Tchinda")
    client = client_for(case_manager)
    response = client.post(reverse("monitoring:awareness_create"), {
        "title": "Causerie au lycée", "held_on": "2025-02-01", "region": "CE", "place": "Lycée d'Etoug-Ebé",
        "audience_kind": "students", "audience_size": "300", "speaker_cases": case.number})
    activity = AwarenessActivity.objects.get()
    assert response.status_code == 302 and list(activity.speakers.all()) == [case.person]
    page = client.get(reverse("monitoring:awareness_detail", args=[activity.pk]))
    assert "TCHINDA" in page.content.decode()
    assert SensitiveAccess.objects.filter(user=case_manager, channel="page").exists()
    api = client.get(f"/api/v1/awareness-activities/{activity.pk}/")
    assert api.status_code == 200 and api.json()["speakers"] == [case.person.full_name]
    for user in (donor, fp_minas):
        assert client_for(user).get(reverse("monitoring:awareness_detail", args=[activity.pk])).status_code == 403
        assert client_for(user).get(f"/api/v1/awareness-activities/{activity.pk}/").status_code == 403


def test_speakers_come_from_cases_the_user_sees(client_for, case_manager, insertion_counsellor):
    case = make_case(by=case_manager)
    response = client_for(insertion_counsellor).post(reverse("monitoring:awareness_create"), {
        "title": "Causerie", "held_on": "2025-02-01", "region": "CE", "place": "Marché",
        "audience_kind": "community", "audience_size": "50", "speaker_cases": case.number})
    assert response.status_code == 400 and not AwarenessActivity.objects.exists()


def test_negative_beneficiaries_are_refused(case_manager):
    from mboa.actors.models import Region
    from mboa.core.errors import ApplicationError

    project = services.community_project_create(by=case_manager, title="x", region=Region.objects.get(code="CE"),
                                                started_on=dt.date(2024, 1, 1))
    with pytest.raises(ApplicationError):
        services.community_beneficiaries_set(project=project, by=case_manager, counts={("F", "0-17"): -1})


def test_the_community_page_links_to_awareness_only_for_those_who_read_it(client_for, donor, case_manager):
    url = reverse("monitoring:community_list")
    assert reverse("monitoring:awareness_list") not in client_for(donor).get(url).content.decode()
    assert reverse("monitoring:awareness_list") in client_for(case_manager).get(url).content.decode()


def test_a_count_no_database_can_hold_is_a_400_naming_the_field(case_manager, client_for):
    """The fuzzer sent 4,261,826,883 beneficiaries in one line: a 500 before."""
    from mboa.actors.models import Region

    project = services.community_project_create(by=case_manager, title="x", region=Region.objects.get(code="CE"),
                                                started_on=dt.date(2024, 1, 1))
    response = client_for(case_manager).post(
        f"/api/v1/community-projects/{project.pk}/beneficiaries/",
        [{"sex": "M", "age_group": "18-24", "count": 4_261_826_883}], content_type="application/json")
    assert response.status_code == 400, response.content
    assert "count" in response.content.decode()
    assert not CommunityBeneficiaries.objects.exists()
