"""Each registry write that exists as a page and as an API endpoint gives every persona the
same answer on both (done / refused / forbidden / hidden), and the list selectors show
exactly what the per-object rules allow.

Writes on one side only (not compared here):
- neither side: changing a person's identity (``person_update`` has no page nor endpoint
  yet);
- the API's ``POST /people/match/`` is a read (who may this be?), not a write.
"""

import pytest
from django.urls import reverse

from mboa.core.testing import DONE, FORBIDDEN, HIDDEN, REFUSED, Request, Write, assert_same_answers, parity_answers, scope_disagreements
from mboa.registry import selectors, services
from mboa.registry.models import DuplicateCandidate, Merge, Person

from .factories import DuplicateFactory, PersonFactory

pytestmark = pytest.mark.django_db



@pytest.fixture
def writes(case_manager):
    open_pair = DuplicateFactory()
    merged_pair = DuplicateFactory(person_a__family_name="Ngono", person_b__family_name="Ngono")
    merge = services.duplicate_merge(duplicate=merged_pair, survivor_id=merged_pair.person_a_id, by=case_manager)
    new = {"family_name": "Abena", "given_names": "Marie", "sex": "F", "date_of_birth": "1995-03-01",
           "nationality": "CM"}
    return {
        "person create": Write(
            "person create",
            page=lambda: Request("post", reverse("registry:person_create"), new),
            api=lambda: Request("post", "/api/v1/people/", new),
            effect=lambda: Person.objects.count()),
        "different people": Write(
            "different people",
            page=lambda: Request("post", reverse("registry:review_different", args=[open_pair.pk]), {"reason": "twins"}),
            api=lambda: Request("post", f"/api/v1/duplicates/{open_pair.pk}/different/", {"reason": "twins"}),
            effect=lambda: DuplicateCandidate.objects.get(pk=open_pair.pk).status),
        "same person (merge)": Write(
            "same person (merge)",
            page=lambda: Request("post", reverse("registry:review_merge", args=[open_pair.pk]),
                                 {"survivor": open_pair.person_a_id}),
            api=lambda: Request("post", f"/api/v1/duplicates/{open_pair.pk}/merge/",
                                {"survivor": open_pair.person_a_id}),
            effect=lambda: Merge.objects.count()),
        "undo a merge": Write(
            "undo a merge",
            page=lambda: Request("post", reverse("registry:merge_undo", args=[merge.pk])),
            api=lambda: Request("post", f"/api/v1/duplicates/{merged_pair.pk}/undo/"),
            effect=lambda: Merge.objects.get(pk=merge.pk).undone_at is not None),
    }


@pytest.mark.parametrize("name", ["person create", "different people", "same person (merge)", "undo a merge"])
def test_page_and_api_give_every_persona_the_same_answer(client, personas, writes, name):
    assert_same_answers(name, parity_answers(client, personas, writes[name]))


def test_who_may_do_what_in_the_registry(client, personas, writes):
    create = parity_answers(client, personas, writes["person create"])
    assert {p for p, (page, _api) in create.items() if page == DONE} == {
        "admin", "case_manager", "insertion_counsellor", "supervisor"}
    assert create["psy_counsellor"] == (FORBIDDEN, FORBIDDEN)
    merge = parity_answers(client, personas, writes["same person (merge)"])
    assert {p for p, (page, _api) in merge.items() if page == DONE} == {"admin", "case_manager", "supervisor"}
    assert merge["insertion_counsellor"] == (HIDDEN, HIDDEN)  # the review queue is not theirs to see


def test_a_merge_keeps_one_of_the_pair_on_page_and_api(client, case_manager):
    pair = DuplicateFactory()
    write = Write("merge with a stranger",
                  page=lambda: Request("post", reverse("registry:review_merge", args=[pair.pk]), {"survivor": 999999}),
                  api=lambda: Request("post", f"/api/v1/duplicates/{pair.pk}/merge/", {"survivor": 999999}),
                  effect=lambda: Merge.objects.count())
    assert parity_answers(client, {"case_manager": case_manager}, write) == {"case_manager": (REFUSED, REFUSED)}


def test_people_list_shows_what_the_registry_rule_allows(personas, case_manager):
    people = [PersonFactory(), PersonFactory(family_name="Ngono", given_names="Marie", sex="F")]
    merged = PersonFactory(family_name="Ngono", given_names="Marie", sex="F")
    services.person_merge(survivor=people[1], merged=merged, by=case_manager)
    assert scope_disagreements(
        users=personas, listed=lambda user: selectors.person_list_for_user(user=user, include_merged=True),
        rule="registry.view_people", candidates=[*people, merged]) == []


def test_review_queue_shows_what_the_review_rule_allows(personas):
    pairs = [DuplicateFactory(), DuplicateFactory(person_a__family_name="Ngono", person_b__family_name="Ngono")]
    assert scope_disagreements(users=personas, listed=lambda user: selectors.duplicate_list_for_user(user=user),
                               rule="registry.review_duplicates", candidates=pairs) == []
