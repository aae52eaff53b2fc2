"""Trainings: MINEFOP records attendance and completion; caseworkers see it on the case."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from mboa.actors.models import Structure
from mboa.cases import trainings
from mboa.cases.consent import consent_record
from mboa.cases.models import Attendance

from .factories import make_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_minefop_runs_the_training_and_the_case_shows_it(client_for, case_manager, make_user, fp_minsante):
    minefop_user = make_user("MINEFOP", ("focal_point",))
    offer = trainings.offer_create(by=minefop_user, data={
        "title": "Gestion d'une micro-entreprise", "kind": "entrepreneurial", "place": "CFP Mbalmayo",
        "city": "Mbalmayo", "start_date": TODAY - dt.timedelta(days=2), "end_date": TODAY + dt.timedelta(days=3),
        "capacity": 10})
    assert offer.provider.code == "MINEFOP"
    with pytest.raises(PermissionDenied):
        trainings.offer_create(by=case_manager, data={"title": "x", "kind": "technical", "place": "p", "city": "c",
                                                      "start_date": TODAY, "end_date": TODAY, "capacity": 1})
    case = make_case(by=case_manager)
    consent_record(person=case.person, purpose="referral", method="signed", by=case_manager,
                   structures=[Structure.objects.get(code="MINEFOP")])
    client = client_for(case_manager)
    assert client.post(reverse("cases:training_enrol", args=[case.pk]), {"offer": offer.pk}).status_code == 302
    enrolment = case.enrolments.get()
    client = client_for(minefop_user)
    page = client.get(reverse("cases:training_detail", args=[offer.pk])).content.decode()
    assert case.number in page
    client.post(reverse("cases:enrolment_update", args=[enrolment.pk]), {"day": TODAY.isoformat(), "present": "1"})
    client.post(reverse("cases:enrolment_update", args=[enrolment.pk]),
                {"day": (TODAY + dt.timedelta(days=1)).isoformat(), "present": "1"})  # in advance: refused
    assert list(Attendance.objects.values_list("day", "present")) == [(TODAY, True)]
    client.post(reverse("cases:enrolment_update", args=[enrolment.pk]), {"action": "complete"})
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.completed_on == TODAY
    # A caseworker cannot record attendance; a MINSANTE focal point does not see trainings.
    response = client_for(case_manager).post(reverse("cases:enrolment_update", args=[enrolment.pk]),
                                             {"day": TODAY.isoformat(), "present": "0"})
    assert response.status_code == 403
    assert client_for(fp_minsante).get(reverse("cases:training_detail", args=[offer.pk])).status_code == 404
    body = client_for(case_manager).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Gestion d&#x27;une micro-entreprise" in body
