"""The figures of feedback, satisfaction and community work, against a fixture whose
counts, medians and shares are worked out by hand (see each comment)."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from mboa.actors.models import Region
from mboa.monitoring.feedback import services
from mboa.monitoring.feedback.models import FeedbackCategory, SatisfactionScore
from mboa.monitoring.feedback.selectors import community_figures, feedback_figures
from mboa.referrals.models import Referral
from mboa.referrals.tests.factories import give_consent, make_case, send

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def officer(make_user):
    user = make_user("OIM", ("case_manager",), username="officer.test")
    with override_settings(MBOA_MONITORING={**settings.MBOA_MONITORING, "STAFF_COMPLAINT_OFFICERS": ["officer.test"],
                                            "FEEDBACK_RESPONSE_TARGET_DAYS": 3, "FEEDBACK_CLOSURE_TARGET_DAYS": 14}):
        yield user


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def fixture(officer, case_manager, now):
    def cat(code):
        return FeedbackCategory.objects.get(code=code)

    case = make_case(by=case_manager, family_name="Abena")  # a man born in 1994
    case.destination_region = Region.objects.get(code="CE")
    case.save(update_fields=["destination_region"])
    t = now - 20 * DAY
    # F1: answered after 1 day, closed after 10: within both targets.
    f1 = services.feedback_log(by=case_manager, kind="complaint", channel="phone", category=cat("quality"),
                               text="f1", received_at=t, case=case)
    services.feedback_respond(feedback=f1, by=case_manager, text="r", at=t + DAY)
    services.feedback_close(feedback=f1, by=case_manager, resolution="ok", at=t + 10 * DAY)
    # F2: answered after 5 days, closed after 20: late for both.
    f2 = services.feedback_log(by=case_manager, kind="complaint", channel="in_person",
                               category=cat("assistance_delay"), text="f2", received_at=t)
    services.feedback_respond(feedback=f2, by=case_manager, text="r", at=t + 5 * DAY)
    services.feedback_close(feedback=f2, by=case_manager, resolution="ok", at=t + 20 * DAY)
    # F3: 20 days old, never answered: due for both targets, within neither.
    services.feedback_log(by=case_manager, kind="suggestion", channel="form", category=cat("quality"), text="f3",
                          received_at=t)
    # F4: one day old, not answered yet: not due (still within the targets).
    services.feedback_log(by=case_manager, kind="question", channel="phone", category=cat("information"),
                          text="f4", received_at=now - DAY)
    # F5: against staff, answered after 2 days by the officer, closed after 4.
    f5 = services.feedback_log(by=case_manager, kind="complaint", channel="in_person",
                               category=cat("staff_conduct"), text="f5", received_at=t)
    services.feedback_respond(feedback=f5, by=officer, text="r", at=t + 2 * DAY)
    services.feedback_close(feedback=f5, by=officer, resolution="ok", at=t + 4 * DAY)
    # F6: an SMS (a complaint in "other"), closed after exactly 3 days: first response = closure = 3 days.
    sms, _new = services.sms_receive(digest="d6", sender="+237670000006", text="f6", received_at=now - 10 * DAY)
    services.feedback_close(feedback=sms.feedback, by=case_manager, resolution="ok", at=now - 7 * DAY)
    # Satisfaction: two referrals answered 4 and 5 (mean 4.5), both on the case in the Centre.
    for score, phone in ((4, "+237699000011"), (5, "+237699000012")):
        c = make_case(by=case_manager, family_name="Ateba", phone=phone)
        c.destination_region = Region.objects.get(code="CE")
        c.save(update_fields=["destination_region"])
        give_consent(c, "MINAS", by=case_manager)
        referral = send(c, by=case_manager)
        Referral.objects.filter(pk=referral.pk).update(status="delivered")
        referral.refresh_from_db()
        services.satisfaction_record(by=case_manager, step="referral", obj=referral, score=score,
                                     at=now - 2 * DAY)
    return case


def test_counts_by_category_channel_and_kind(fixture, now):
    figures = feedback_figures(filters={}, now=now)
    assert (figures["total"], figures["complaints"], figures["against_staff"], figures["pending"]) == (6, 4, 1, 2)
    by_category = {row["code"]: row["n"] for row in figures["by_category"]}
    assert by_category == {"quality": 2, "assistance_delay": 1, "information": 1, "staff_conduct": 1, "other": 1,
                           "data_privacy": 0}
    assert {row["code"]: row["n"] for row in figures["by_channel"]} == {"phone": 2, "in_person": 2, "form": 1,
                                                                        "sms": 1}
    assert {row["code"]: row["n"] for row in figures["by_kind"]} == {"complaint": 4, "suggestion": 1,
                                                                     "appreciation": 0, "question": 1}


def test_medians_and_shares_within_target(fixture, now):
    figures = feedback_figures(filters={}, now=now)
    # First responses 1, 2, 3, 5 days: median 2.5. Closures 3, 4, 10, 20 days: median 7.
    assert figures["median_days_to_first_response"] == 2.5
    assert figures["median_days_to_closure"] == 7.0
    # Due: F1, F2, F3, F5, F6 (F4 is a day old). Within 3 days: F1, F5, F6 → 3/5; within 14: F1, F5, F6 → 3/5.
    assert figures["share_responded_within_target"] == 0.6
    assert figures["share_closed_within_target"] == 0.6


def test_satisfaction_per_step(fixture, now):
    satisfaction = feedback_figures(filters={}, now=now)["satisfaction"]
    assert (satisfaction["answers"], satisfaction["mean"]) == (2, 4.5)
    by_step = {row["code"]: (row["n"], row["mean"]) for row in satisfaction["by_step"]}
    assert by_step == {"referral": (2, 4.5), "reception": (0, None), "project": (0, None), "training": (0, None)}


def test_filters(fixture, now):
    today = timezone.localdate(now)
    recent = feedback_figures(filters={"date_from": today - dt.timedelta(days=5)}, now=now)
    assert recent["total"] == 1 and recent["median_days_to_closure"] is None
    centre = feedback_figures(filters={"region": "CE"}, now=now)
    assert centre["total"] == 1 and centre["satisfaction"]["answers"] == 2
    assert feedback_figures(filters={"region": "LT"}, now=now)["satisfaction"]["answers"] == 0
    men = feedback_figures(filters={"sex": "M"}, now=now)
    assert men["total"] == 1  # only F1 is about a person (a man)
    age = today.year - 1994
    group = "25-34" if 25 <= age <= 34 else "35-49"
    assert feedback_figures(filters={"age_group": group}, now=now)["total"] == 1
    assert feedback_figures(filters={"age_group": "0-17"}, now=now)["total"] == 0
    assert feedback_figures(filters={"structure": "OIM"}, now=now)["total"] == 5  # the SMS has no structure


def test_figures_are_computed_in_a_few_queries(fixture, now, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        feedback_figures(filters={}, now=now)


def test_community_figures(case_manager):
    from mboa.cases.tests.factories import make_case as open_case

    ce, lt = Region.objects.get(code="CE"), Region.objects.get(code="LT")
    p1 = services.community_project_create(by=case_manager, title="Forage", region=ce, status="running",
                                           started_on=dt.date(2024, 3, 1), budget_xaf=1000, returnees=3)
    services.community_beneficiaries_set(project=p1, by=case_manager,
                                         counts={("F", "0-17"): 10, ("M", "0-17"): 8, ("F", "25-34"): 5})
    p2 = services.community_project_create(by=case_manager, title="Marché", region=lt, status="completed",
                                           started_on=dt.date(2025, 1, 10), budget_xaf=500, returnees=2)
    services.community_beneficiaries_set(project=p2, by=case_manager, counts={("M", "50+"): 7})
    speakers = [open_case(by=case_manager).person for _i in range(2)]
    services.awareness_activity_create(by=case_manager, title="A", held_on=dt.date(2024, 5, 1), region=ce,
                                       place="Lycée", audience_kind="students", audience_size=200,
                                       speakers=speakers)
    services.awareness_activity_create(by=case_manager, title="B", held_on=dt.date(2025, 2, 1), region=lt,
                                       place="Marché", audience_kind="community", audience_size=80,
                                       speakers=speakers[:1])
    figures = community_figures(filters={})
    assert (figures["projects"]["total"], figures["projects"]["budget_xaf"], figures["projects"]["returnees"]) == (
        2, 1500, 5)
    assert {r["code"]: r["n"] for r in figures["projects"]["by_status"]}["running"] == 1
    assert figures["beneficiaries"]["total"] == 30
    assert {r["code"]: r["n"] for r in figures["beneficiaries"]["by_sex"]} == {"F": 15, "M": 15}
    assert {r["code"]: r["n"] for r in figures["beneficiaries"]["by_age_group"]}["0-17"] == 18
    awareness = figures["awareness"]
    assert (awareness["activities"], awareness["audience"], awareness["speakers"]) == (2, 280, 2)
    assert {r["code"]: r["audience"] for r in awareness["by_audience_kind"]}["students"] == 200
    centre = community_figures(filters={"region": "CE", "sex": "F"})
    assert centre["projects"]["total"] == 1 and centre["beneficiaries"]["total"] == 15
    assert centre["awareness"]["activities"] == 1 and centre["awareness"]["speakers"] == 2
    in_2025 = community_figures(filters={"date_from": dt.date(2025, 1, 1)})
    assert in_2025["projects"]["total"] == 1 and in_2025["awareness"]["speakers"] == 1
    # Beneficiaries are numbers: no one of them is a person of the registry.
    from mboa.registry.models import Person

    assert Person.objects.count() == 2


def test_the_figures_api_is_open_to_every_role_and_names_nobody(client_for, personas, fixture):
    for name, user in personas.items():
        response = client_for(user).get("/api/v1/feedback-figures/?region=CE")
        assert response.status_code == 200, name
        assert "ABENA" not in response.content.decode().upper()
    assert client_for(personas["donor"]).get("/api/v1/feedback-figures/?date_from=soon").status_code == 400
    assert SatisfactionScore.objects.count() == 2
