"""Registry writes refuse nonsense with the field named (400 in the API, next to the field
on a page) instead of storing it (SQLite) or failing (PostgreSQL): dates of birth in the
future or before 1900, documents expiring in year 272, text longer than its column."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mboa.core.errors import ApplicationError
from mboa.registry import services
from mboa.registry.models import DuplicateCandidate, Person

from .factories import DuplicateFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _post(client, **fields):
    return client.post("/api/v1/people/", {"family_name": "Abena", "sex": "F", **fields},
                       content_type="application/json")


def test_dates_of_birth_out_of_range_are_refused_in_the_api(client_for, case_manager):
    client = client_for(case_manager)
    response = _post(client, date_of_birth="0272-01-01")
    assert response.status_code == 400 and response.json()["field"] == "birth_year"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = _post(client, date_of_birth=tomorrow.isoformat())
    assert response.status_code == 400
    assert response.json()["field"] == ("date_of_birth" if tomorrow.year == timezone.localdate().year else "birth_year")
    assert not Person.objects.exists()
    assert _post(client, date_of_birth=timezone.localdate().isoformat()).status_code == 201


def test_a_date_of_birth_in_the_future_is_refused_next_to_the_field(client_for, case_manager):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(case_manager).post(reverse("registry:person_create"), {
        "family_name": "Abena", "sex": "F", "date_of_birth": tomorrow.isoformat(), "nationality": "CM"})
    assert response.status_code == 400 and not Person.objects.exists()
    assert response.context["form"].errors.get("date_of_birth") or response.context["form"].errors.get("birth_year")


def test_text_longer_than_its_column_is_refused_with_the_field_named(case_manager):
    cases = [
        ({"data": {"family_name": "Abena", "address": "x" * 301}}, "address"),
        ({"data": {"family_name": "A" * 121}}, "family_name"),
        ({"data": {"family_name": "Abena"}, "aliases": [("B" * 200, "")]}, "aliases"),
        ({"data": {"family_name": "Abena"}, "documents": [{"kind": "passport", "number": "9" * 41}]}, "documents"),
        ({"data": {"family_name": "Abena"}, "phones": [{"number": "699000001", "note": "n" * 81}]}, "phones"),
    ]
    for arguments, field in cases:
        with pytest.raises(ApplicationError) as refused:
            services.person_create(by=case_manager, confirmed_new=True, **arguments)
        assert refused.value.field == field
    assert not Person.objects.exists()


def test_a_document_expiring_in_year_272_is_refused(case_manager):
    with pytest.raises(ApplicationError) as refused:
        services.person_create(by=case_manager, data={"family_name": "Abena"},
                               documents=[{"kind": "passport", "number": "AB123456", "expires_on": dt.date(272, 1, 1)}])
    assert refused.value.field == "documents" and "1900" in refused.value.message


def test_a_decision_reason_longer_than_kept_is_refused_not_cut(client_for, case_manager):
    pair = DuplicateFactory()
    long_reason = "x" * 5000
    with pytest.raises(ApplicationError) as refused:
        services.duplicate_mark_different(duplicate=pair, by=case_manager, note=long_reason)
    assert refused.value.field == "reason"
    client = client_for(case_manager)
    client.post(reverse("registry:review_different", args=[pair.pk]), {"reason": long_reason})
    assert DuplicateCandidate.objects.get(pk=pair.pk).status == "open"
    with pytest.raises(ApplicationError):
        services.duplicate_merge(duplicate=pair, survivor_id=pair.person_a_id, by=case_manager, reason=long_reason)
    assert Person.objects.get(pk=pair.person_b_id).status == "active"


def test_a_person_update_checks_the_same_limits(case_manager):
    person = PersonFactory()
    with pytest.raises(ApplicationError) as refused:
        services.person_update(person=person, by=case_manager, data={"address": "x" * 1_000})
    assert refused.value.field == "address"
