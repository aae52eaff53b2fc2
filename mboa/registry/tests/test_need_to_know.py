"""Need-to-know in the registry: counsellors see the people of their cases (pages and API
alike), find anyone else only with a reason, a minimal identity and a limit, and every
response that shows someone's identity writes one read-log row naming them."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from mboa.cases.models import Case, HouseholdMember
from mboa.cases.tests.factories import CounsellorFactory, make_case
from mboa.core.models import SensitiveAccess
from mboa.core.testing import scope_disagreements
from mboa.registry import selectors
from mboa.registry.models import Person

from .factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_search_counters():
    cache.clear()  # the hourly counters of "find a returnee" live in the cache
    yield
    cache.clear()


def _hold_cases(counsellor_user, case_manager, people, kind="insertion"):
    """Make ``counsellor_user`` the counsellor of a case of each of ``people``."""
    counsellor = CounsellorFactory(user=counsellor_user, kind=kind, structure=counsellor_user.structure)
    field = "insertion_counsellor" if kind == "insertion" else "psychosocial_counsellor"
    cases = [make_case(by=case_manager, person=person) for person in people]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(**{field: counsellor})
    return cases


@pytest.fixture
def world(case_manager):
    """Two people in the counsellor's cases, three strangers (one with a phone and passport)."""
    mine = [PersonFactory(family_name="Abena", given_names="Marie", sex="F", phone="+237699000001"),
            PersonFactory(family_name="Biya", given_names="Paul")]
    others = [PersonFactory(family_name="Etoundi", given_names="Luc", document="CM7654321",
                            phone="+237699000002", place_of_birth_id="CE01"),
              PersonFactory(family_name="Fouda", given_names="Anne", sex="F"),
              PersonFactory(family_name="Etoundi", given_names="Rose", sex="F")]
    return {"mine": mine, "others": others}


@pytest.fixture(params=["insertion", "psychosocial"])
def counsellor(request, case_manager, insertion_counsellor, psy_counsellor, world):
    user = insertion_counsellor if request.param == "insertion" else psy_counsellor
    _hold_cases(user, case_manager, world["mine"], kind=request.param)
    return user


# --- Counsellors see the people of their cases ---------------------------------------------------

def test_counsellor_lists_and_searches_only_the_people_of_their_cases(client_for, counsellor, world):
    client = client_for(counsellor)
    page = client.get(reverse("registry:person_list")).content.decode()
    assert "ABENA" in page and "BIYA" in page
    assert "ETOUNDI" not in page and "FOUDA" not in page
    for query in ("etoundi", "CM7654321", "699000002", str(world["others"][0].pk)):
        found = client.get(reverse("registry:person_list"), {"q": query}).content.decode()
        assert "ETOUNDI" not in found, query
    api = client.get("/api/v1/people/").json()
    assert sorted(row["id"] for row in api["results"]) == sorted(p.pk for p in world["mine"])
    assert client.get("/api/v1/people/", {"q": "etoundi"}).json()["count"] == 0


def test_counsellor_opens_the_record_of_their_cases_only(client_for, counsellor, world):
    client = client_for(counsellor)
    mine, stranger = world["mine"][0], world["others"][0]
    assert client.get(reverse("registry:person_detail", args=[mine.pk])).status_code == 200
    assert client.get(f"/api/v1/people/{mine.pk}/").json()["phones"][0]["number"] == "+237699000001"
    assert client.get(reverse("registry:person_detail", args=[stranger.pk])).status_code == 404
    assert client.get(f"/api/v1/people/{stranger.pk}/").status_code == 404
    assert not SensitiveAccess.objects.filter(user=counsellor, target_id=str(stranger.pk)).exists()


def test_a_counsellor_without_cases_sees_no_one(client_for, insertion_counsellor, world):
    client = client_for(insertion_counsellor)
    assert client.get(reverse("registry:person_list")).status_code == 200
    assert client.get("/api/v1/people/").json()["count"] == 0
    assert client.get(f"/api/v1/people/{world['mine'][0].pk}/").status_code == 404


def test_counsellor_sees_household_members_of_their_cases_and_whom_they_registered(
        client_for, case_manager, insertion_counsellor, world):
    [case] = _hold_cases(insertion_counsellor, case_manager, world["mine"][:1])
    member = world["others"][1]
    HouseholdMember.objects.create(case=case, person=member, name=member.full_name, relationship="child")
    client = client_for(insertion_counsellor)
    assert client.get(reverse("registry:person_detail", args=[member.pk])).status_code == 200
    response = client.post(reverse("registry:person_create"),
                           {"family_name": "Nkoulou", "given_names": "Eric", "sex": "M", "date_of_birth": "1998"})
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200  # the record they just registered
    registered = client.post("/api/v1/people/", {"family_name": "Owona", "sex": "F"}, content_type="application/json")
    assert registered.status_code == 201 and registered.json()["family_name"] == "Owona"


def test_the_identity_checkers_see_only_what_their_structure_was_sent(client_for, make_user, world):
    dgsn = make_user("DGSN", ("focal_point",))
    client = client_for(dgsn)
    assert client.get(reverse("registry:person_list")).status_code == 200
    assert client.get("/api/v1/people/").json()["count"] == 0
    assert client.get(f"/api/v1/people/{world['others'][0].pk}/").status_code == 404


def test_people_list_shows_what_the_rule_allows_for_a_counsellor_with_cases(personas, case_manager, world):
    _hold_cases(personas["insertion_counsellor"], case_manager, world["mine"])
    _hold_cases(personas["psy_counsellor"], case_manager, world["others"][:1], kind="psychosocial")
    assert scope_disagreements(
        users=personas, listed=lambda user: selectors.person_list_for_user(user=user, include_merged=True),
        rule="registry.view_people", candidates=[*world["mine"], *world["others"]]) == []


# --- Find a returnee -----------------------------------------------------------------------------

def test_find_a_returnee_is_offered_to_counsellors_on_the_people_page(client_for, counsellor, case_manager):
    page = client_for(counsellor).get(reverse("registry:person_list")).content.decode()
    assert reverse("registry:person_find") in page
    form = client_for(counsellor).get(reverse("registry:person_find"))
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    client = client_for(case_manager)
    assert reverse("registry:person_find") not in client.get(reverse("registry:person_list")).content.decode()


@pytest.mark.parametrize("persona", ["case_manager", "fp_minsante", "secretariat", "donor"])
def test_find_is_for_counsellors_only(persona, request, client_for, world):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("registry:person_find")).status_code == 403
    assert client.post(reverse("registry:person_find"), {"q": "etoundi", "reason": "walk_in"}).status_code == 403
    assert client.get("/api/v1/people/find/", {"q": "etoundi", "reason": "walk_in"}).status_code == 403
    assert not SensitiveAccess.objects.exists()


def test_find_shows_a_minimal_identity_and_logs_the_search_with_its_reason(client_for, counsellor, world):
    client = client_for(counsellor)
    luc, rose = world["others"][0], world["others"][2]
    page = client.post(reverse("registry:person_find"), {"q": "etoundi", "reason": "walk_in"})
    text = page.content.decode()
    assert page.status_code == 200 and "ETOUNDI Luc" in text and "ETOUNDI Rose" in text and f"#{luc.pk}" in text
    assert "Centre" in text  # region of birth (department CE01)
    assert "1990" in text and "1990-04-12" not in text and "CM7654321" not in text and "699000002" not in text
    [row] = SensitiveAccess.objects.filter(user=counsellor)
    assert sorted(row.target_ids) == sorted([str(luc.pk), str(rose.pk)]) and row.channel == "page"
    assert row.purpose == "find a returnee: walk_in"

    api = client.get("/api/v1/people/find/", {"q": "CM7654321", "reason": "other", "note": "sent by MINAS Douala"})
    assert api.status_code == 200
    assert api.json() == [{"id": luc.pk, "family_name": "Etoundi", "given_names": "Luc", "birth_year": 1990,
                           "region": luc.place_of_birth.region.name}]
    row = SensitiveAccess.objects.filter(user=counsellor).order_by("-pk").first()
    assert row.target_ids == [str(luc.pk)] and row.channel == "api"
    assert row.purpose == "find a returnee: other: sent by MINAS Douala"
    # Finding someone does not open their record.
    assert client.get(f"/api/v1/people/{luc.pk}/").status_code == 404


def test_find_needs_a_reason_and_a_real_query(client_for, counsellor, world):
    client = client_for(counsellor)
    assert client.post(reverse("registry:person_find"), {"q": "etoundi"}).status_code == 400
    response = client.post(reverse("registry:person_find"), {"q": "etoundi", "reason": "other"})
    assert response.status_code == 400 and "Explain the reason" in response.content.decode()
    response = client.get("/api/v1/people/find/", {"q": "etoundi"})
    assert response.status_code == 400 and "reason" in response.json()
    response = client.get("/api/v1/people/find/", {"q": "etoundi", "reason": "other"})
    assert response.status_code == 400 and response.json()["field"] == "note"
    response = client.get("/api/v1/people/find/", {"q": "e", "reason": "walk_in"})
    assert response.status_code == 400 and response.json()["field"] == "q"
    assert not SensitiveAccess.objects.exists()


def test_a_search_that_finds_no_one_is_logged_too(client_for, counsellor, world):
    client = client_for(counsellor)
    assert client.get("/api/v1/people/find/", {"q": "zzzz", "reason": "household"}).json() == []
    [row] = SensitiveAccess.objects.filter(user=counsellor)
    assert row.target_ids == [] and row.purpose == "find a returnee: household"


@override_settings(MBOA_REGISTRY={"MATCH_THRESHOLD": 0.9, "REVIEW_THRESHOLD": 0.5, "CANDIDATES_SCORED": 40,
                                  "MIN_KEY_WEIGHT": 3, "MAX_BLOCK_SIZE": 200, "FIND_SEARCHES_PER_HOUR": 3})
def test_find_is_limited_per_user_and_hour(client_for, counsellor, insertion_counsellor, psy_counsellor, world):
    client = client_for(counsellor)
    for _ in range(2):
        assert client.get("/api/v1/people/find/", {"q": "etoundi", "reason": "walk_in"}).status_code == 200
    assert client.post(reverse("registry:person_find"), {"q": "fouda", "reason": "walk_in"}).status_code == 200
    page = client.post(reverse("registry:person_find"), {"q": "fouda", "reason": "walk_in"})
    assert page.status_code == 429 and "3 searches this hour" in page.content.decode()
    assert "FOUDA" not in page.content.decode()
    api = client.get("/api/v1/people/find/", {"q": "etoundi", "reason": "walk_in"})
    assert api.status_code == 429 and "3 searches this hour" in api.json()["detail"]
    assert SensitiveAccess.objects.filter(user=counsellor).count() == 3
    # The limit is the user's own: another counsellor still searches.
    other = psy_counsellor if counsellor == insertion_counsellor else insertion_counsellor
    assert client_for(other).get("/api/v1/people/find/", {"q": "etoundi", "reason": "walk_in"}).status_code == 200


# --- One read-log row per response that shows identity -----------------------------------------

ROUTES = {
    "people list": lambda people: (reverse("registry:person_list"), {}),
    "people search": lambda people: (reverse("registry:person_list"), {"q": "a"}),
    "person page": lambda people: (reverse("registry:person_detail", args=[people[0].pk]), {}),
    "API list": lambda people: ("/api/v1/people/", {}),
    "API search": lambda people: ("/api/v1/people/", {"q": "a"}),
    "API detail": lambda people: (f"/api/v1/people/{people[0].pk}/", {}),
}


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("persona", ["case_manager", "insertion_counsellor"])
def test_every_response_showing_people_writes_one_row_naming_them(route, persona, request, client_for,
                                                                   case_manager, world):
    user = request.getfixturevalue(persona)
    if persona == "insertion_counsellor":
        _hold_cases(user, case_manager, world["mine"])
        expected = world["mine"]
    else:
        expected = Person.objects.filter(family_name__icontains="a") if route.endswith("search") else \
            Person.objects.all()
    url, params = ROUTES[route](world["mine"])
    response = client_for(user).get(url, params)
    assert response.status_code == 200
    [row] = SensitiveAccess.objects.filter(user=user)
    shown = [str(world["mine"][0].pk)] if route in ("person page", "API detail") else \
        sorted(str(p.pk) for p in expected)
    assert sorted(row.target_ids or [row.target_id]) == shown


def test_registration_does_not_show_a_stranger_to_a_counsellor_but_points_to_find(client_for, case_manager,
                                                                                  insertion_counsellor, world):
    stranger = world["others"][0]
    response = client_for(insertion_counsellor).post(reverse("registry:person_create"), {
        "family_name": "Etoundi", "given_names": "Luc", "sex": "M", "date_of_birth": "1990-04-12",
        "phone": "699000002", "nationality": "CM"})
    text = response.content.decode()
    assert response.status_code == 400 and "Find a returnee" in text
    assert reverse("registry:person_detail", args=[stranger.pk]) not in text
    assert not SensitiveAccess.objects.filter(user=insertion_counsellor).exists()
