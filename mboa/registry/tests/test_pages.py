"""Pages and API: who sees the registry, the registration flow, the review queue."""

import pytest
from django.urls import reverse

from mboa.core.models import SensitiveAccess
from mboa.registry.models import DuplicateCandidate, Merge, Person

from .factories import DuplicateFactory, PersonFactory

pytestmark = pytest.mark.django_db

# Everyone in the registry; counsellors and the DGSN see part of it (test_need_to_know.py).
READERS = ["admin", "case_manager"]
OUTSIDERS = ["fp_minsante", "fp_minas", "secretariat", "donor", "statistician"]


@pytest.fixture
def fp_dgsn(make_user):
    return make_user("DGSN", ("focal_point",))


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_people_and_their_record_is_logged(persona, request, client_for):
    user = request.getfixturevalue(persona)
    person = PersonFactory(document="CM1234567")
    client = client_for(user)
    assert "MBARGA" in client.get(reverse("registry:person_list")).content.decode()
    page = client.get(reverse("registry:person_detail", args=[person.pk]))
    assert page.status_code == 200 and "CM1234567" in page.content.decode()
    listed = SensitiveAccess.objects.get(user=user, target_id="")  # the list: one row naming whom it showed
    assert listed.target_ids == [str(person.pk)] and "family_name" in listed.fields
    access = SensitiveAccess.objects.get(user=user, target_id=str(person.pk))
    assert "documents" in access.fields
    api = client.get(f"/api/v1/people/{person.pk}/")
    assert api.status_code == 200 and api.json()["documents"][0]["number"] == "CM1234567"


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_nothing(persona, request, client_for):
    user = request.getfixturevalue(persona)
    person = PersonFactory()
    client = client_for(user)
    assert client.get(reverse("registry:person_list")).status_code == 403
    assert client.get(reverse("registry:person_detail", args=[person.pk])).status_code == 404
    assert client.get("/api/v1/people/").status_code == 403
    assert client.get(f"/api/v1/people/{person.pk}/").status_code == 404
    assert client.post("/api/v1/people/match/", {"family_name": "Mbarga"}, content_type="application/json"
                       ).status_code == 403
    assert not SensitiveAccess.objects.exists()


def test_search_by_name_document_and_phone(client_for, case_manager):
    person = PersonFactory(document="CM1234567", phone="+237699123456")
    PersonFactory(family_name="Ngono", given_names="Marie")
    client = client_for(case_manager)
    for query in ("mbarga", "cm 1234567", "699 12 34 56", str(person.pk)):
        page = client.get(reverse("registry:person_list"), {"q": query}).content.decode()
        assert "MBARGA" in page and "NGONO" not in page, query


def test_person_list_query_count_does_not_grow(client_for, case_manager, django_assert_max_num_queries):
    client = client_for(case_manager)
    for i in range(30):
        PersonFactory(family_name=f"Nom{i}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("registry:person_list")).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/people/")
    assert response.json()["count"] == 30


def test_registration_form_shows_the_earlier_record_then_registers_when_confirmed(client_for, case_manager):
    earlier = PersonFactory()
    client = client_for(case_manager)
    form = {"family_name": "MBARGA", "given_names": "Jean Paul", "sex": "M", "date_of_birth": "12/04/1990",
            "nationality": "CM", "phone": "699 12 34 56"}
    response = client.post(reverse("registry:person_create"), form)
    assert response.status_code == 400
    assert f"#{earlier.pk}" in response.content.decode() and Person.objects.count() == 1
    response = client.post(reverse("registry:person_create"), {**form, "confirmed_new": "True"})
    assert response.status_code == 302
    assert Person.objects.count() == 2 and DuplicateCandidate.objects.filter(status="open").count() == 1


def test_registration_form_reports_a_bad_date_next_to_the_field(client_for, insertion_counsellor):
    response = client_for(insertion_counsellor).post(
        reverse("registry:person_create"), {"family_name": "Abena", "sex": "F", "date_of_birth": "1990/31/12"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.content.decode()
    assert not Person.objects.exists()


def test_psychosocial_counsellor_cannot_register(client_for, psy_counsellor):
    assert client_for(psy_counsellor).get(reverse("registry:person_create")).status_code == 403


def test_api_registration_returns_the_matches_then_creates(client_for, case_manager):
    earlier = PersonFactory()
    client = client_for(case_manager)
    payload = {"family_name": "Mbarga", "given_names": "Jean-Paul", "sex": "M", "date_of_birth": "1990-12-04",
               "phones": ["699123456"], "documents": [{"kind": "passport", "number": "AB1234567"}]}
    response = client.post("/api/v1/people/", payload, content_type="application/json")
    assert response.status_code == 400 and response.json()["matches"][0]["person_id"] == earlier.pk
    response = client.post("/api/v1/people/", {**payload, "confirmed_new": True}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["phones"][0]["number"] == "+237699123456"


def test_api_match_lists_candidates_with_reasons(client_for, case_manager):
    earlier = PersonFactory()
    response = client_for(case_manager).post(
        "/api/v1/people/match/", {"family_name": "MBARGA", "given_names": "Jean Paul", "date_of_birth": "04/12/1990"},
        content_type="application/json")
    assert response.status_code == 200
    best = response.json()[0]
    assert best["person"]["id"] == earlier.pk and best["reasons"]["date_of_birth"] == "swapped"


# --- Review queue ----------------------------------------------------------------------------------

def test_queue_is_for_case_managers_only(client_for, case_manager, insertion_counsellor, fp_dgsn):
    duplicate = DuplicateFactory()
    page = client_for(case_manager).get(reverse("registry:review_list")).content.decode()
    assert f"#{duplicate.person_a_id}" in page
    for user in (insertion_counsellor, fp_dgsn):
        client = client_for(user)
        assert client.get(reverse("registry:review_list")).status_code == 403
        assert client.get(reverse("registry:review_detail", args=[duplicate.pk])).status_code == 404
        assert client.post(reverse("registry:review_merge", args=[duplicate.pk]),
                           {"survivor": duplicate.person_a_id}).status_code == 404
        assert client.get(f"/api/v1/duplicates/{duplicate.pk}/").status_code == 404
    assert not Merge.objects.exists()


def test_queue_query_count_does_not_grow(client_for, case_manager, django_assert_max_num_queries):
    client = client_for(case_manager)
    for i in range(10):
        DuplicateFactory(person_a__family_name=f"A{i}", person_b__family_name=f"A{i}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("registry:review_list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/duplicates/").json()["count"] == 10


def test_compare_merge_and_undo_in_the_ui(client_for, case_manager):
    duplicate = DuplicateFactory(person_b__phone="+237677000111")
    client = client_for(case_manager)
    page = client.get(reverse("registry:review_detail", args=[duplicate.pk])).content.decode()
    assert "swapped" in page and "+237677000111" in page
    assert SensitiveAccess.objects.filter(user=case_manager).count() == 2  # both records shown
    response = client.post(reverse("registry:review_merge", args=[duplicate.pk]),
                           {"survivor": duplicate.person_a_id, "reason": "same passport photo"})
    assert response.status_code == 302
    survivor = Person.objects.get(pk=duplicate.person_a_id)
    assert survivor.phones.get().number == "+237677000111"
    merge = Merge.objects.get()
    page = client.get(reverse("registry:person_detail", args=[duplicate.person_b_id])).content.decode()
    assert f"#{survivor.pk}" in page  # the merged record points to the survivor
    response = client.post(reverse("registry:merge_undo", args=[merge.pk]))
    assert response.status_code == 302
    assert Person.objects.get(pk=duplicate.person_b_id).phones.get().number == "+237677000111"
    assert not survivor.phones.exists()


def test_different_people_in_the_ui_and_api(client_for, case_manager):
    first, second = DuplicateFactory(), DuplicateFactory()
    client = client_for(case_manager)
    assert client.post(reverse("registry:review_different", args=[first.pk])).status_code == 302
    response = client.post(f"/api/v1/duplicates/{second.pk}/different/", {"reason": "twins"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "different"
    assert "Nothing to review" in client.get(reverse("registry:review_list")).content.decode() or \
        "Rien" in client.get(reverse("registry:review_list")).content.decode()


def test_api_merge_and_undo(client_for, case_manager):
    duplicate = DuplicateFactory()
    client = client_for(case_manager)
    response = client.post(f"/api/v1/duplicates/{duplicate.pk}/merge/", {"survivor": duplicate.person_b_id},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "merged"
    assert Person.objects.get(pk=duplicate.person_a_id).merged_into_id == duplicate.person_b_id
    response = client.post(f"/api/v1/duplicates/{duplicate.pk}/undo/", {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "open"
    response = client.post(f"/api/v1/duplicates/{duplicate.pk}/merge/", {"survivor": 999999},
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "survivor"


def test_review_queue_logs_the_records_it_lists(client_for, case_manager):
    pair = DuplicateFactory()
    client = client_for(case_manager)
    client.get(reverse("registry:review_list"))
    client.get("/api/v1/duplicates/")
    rows = SensitiveAccess.objects.filter(user=case_manager).order_by("pk")
    assert [(row.channel, sorted(row.target_ids)) for row in rows] == [
        (channel, sorted([str(pair.person_a_id), str(pair.person_b_id)])) for channel in ("page", "api")]


def test_api_answers_about_people_are_logged(client_for, case_manager):
    person = PersonFactory()
    client = client_for(case_manager)
    assert client.get("/api/v1/people/", {"q": "mbarga"}).json()["count"] == 1
    client.post("/api/v1/people/match/", {"family_name": "Mbarga", "given_names": "Jean-Paul"},
                content_type="application/json")
    rows = SensitiveAccess.objects.filter(user=case_manager, channel="api").order_by("pk")
    assert [(row.purpose, row.target_ids) for row in rows] == [("people list", [str(person.pk)]),
                                                               ("possible matches", [str(person.pk)])]
