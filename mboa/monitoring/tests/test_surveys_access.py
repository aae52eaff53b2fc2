"""Who sees answers, scores and cohorts, and the read log of individual answers."""

import pytest
from django.urls import reverse

from mboa.cases import services as case_services
from mboa.cases.tests.factories import CounsellorFactory
from mboa.core.models import SensitiveAccess
from mboa.monitoring.surveys import catalog, selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveyed(survey_case, case_manager, psy_counsellor, django_capture_on_commit_callbacks):
    """The case manager's case, followed by the psychosocial counsellor persona, with an
    intake survey (answers in the three dimensions)."""
    with django_capture_on_commit_callbacks(execute=True):
        version, _weights = services.catalog_load(catalog=catalog.example_catalog(), by=None, is_example=True,
                                                  adopt=True)
    counsellor = CounsellorFactory(kind="psychosocial", user=psy_counsellor, structure=psy_counsellor.structure)
    case_services.case_assign(case=survey_case, counsellor=counsellor, by=case_manager)
    survey = services.survey_record(case=survey_case, round="intake", version=version,
                                    collected_on=survey_case.opened_at.date(),
                                    answers={"eco_activite": "oui", "soc_sante": "non", "psy_sommeil": "souvent"},
                                    by=case_manager)
    return survey


PSY_TEXT = "Dormez-vous bien"
ECO_TEXT = "Exercez-vous une activité"


def test_answers_by_role(surveyed, personas, client_for):
    url = reverse("monitoring:survey_detail", args=[surveyed.pk])
    seen = {}
    for name, user in personas.items():
        response = client_for(user).get(url, HTTP_ACCEPT_LANGUAGE="fr")
        body = response.content.decode() if response.status_code == 200 else ""
        seen[name] = (response.status_code, ECO_TEXT in body, PSY_TEXT in body)
    # The case's own manager and its psychosocial counsellor read everything.
    assert seen["case_manager"] == (200, True, True)
    assert seen["psy_counsellor"] == (200, True, True)
    # Administrators and supervisors see the case but not the psychosocial answers.
    assert seen["admin"] == (200, True, False)
    assert seen["supervisor"] == (200, True, False)
    # Nobody else sees the survey at all.
    for name in ("insertion_counsellor", "fp_minsante", "fp_minas", "secretariat", "donor", "statistician"):
        assert seen[name][0] == 404 and not seen[name][1], name


def test_every_read_of_answers_is_logged_with_what_was_shown(surveyed, case_manager, admin):
    selectors.survey_answers_for_user(user=case_manager, survey_id=surveyed.pk)
    selectors.survey_answers_for_user(user=admin, survey_id=surveyed.pk)
    rows = list(SensitiveAccess.objects.filter(target_id=str(surveyed.pk)).order_by("pk"))
    assert [(r.user_id, r.fields) for r in rows] == [
        (case_manager.pk, ["answers", "person", "psychosocial_answers"]), (admin.pk, ["answers", "person"])]


def test_the_trajectory_is_for_the_case_staff_and_logged(surveyed, personas, client_for):
    url = reverse("monitoring:survey_case", args=[surveyed.case_id])
    for name, user in personas.items():
        before = SensitiveAccess.objects.count()
        response = client_for(user).get(url)
        if name in ("case_manager", "psy_counsellor", "admin", "supervisor"):
            assert response.status_code == 200, name
            assert surveyed.case.person.family_name in response.content.decode()
            assert SensitiveAccess.objects.count() == before + 1, name
        else:
            assert response.status_code == 404, name


def test_cohorts_are_figures_for_the_donor_the_statistician_and_the_secretariat(surveyed, personas, client_for):
    url = reverse("monitoring:survey_cohorts")
    for name, user in personas.items():
        response = client_for(user).get(url)
        expected = 200 if name in ("admin", "case_manager", "supervisor", "secretariat", "donor", "statistician") else 403
        assert response.status_code == expected, name
        if expected == 200:
            body = response.content.decode()
            assert surveyed.case.person.family_name not in body and surveyed.case.number not in body
            assert "n=1" in body  # one survey: its count, not its mean (fewer than 5)


def test_only_administrators_load_definitions_and_adopt_weights(surveyed, personas, client_for):
    from mboa.monitoring.surveys.models import WeightSet

    other = WeightSet.objects.create(number=2, label="w2")
    for name, user in personas.items():
        client = client_for(user)
        assert client.get(reverse("monitoring:survey_catalog")).status_code == 200, name
        upload_page = client.get(reverse("monitoring:survey_catalog_upload")).status_code
        adopt = client.post(reverse("monitoring:survey_weights_adopt", args=[other.pk])).status_code
        if name == "admin":
            assert (upload_page, adopt) == (200, 302)
        else:
            assert upload_page == 403 and adopt in (403, 404), name
    assert WeightSet.objects.get(is_current=True) == other


def test_score_trend_aggregates_in_the_database(surveyed, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = selectors.score_trend(filters={"group": "round"})
    assert rows == [{"period": "intake", "n": 1, "suppressed": True, "economic": None, "social": None,
                     "psychosocial": None, "composite": None}]
    assert selectors.score_trend(filters={"group": "quarter", "sex": "X"}) == []
