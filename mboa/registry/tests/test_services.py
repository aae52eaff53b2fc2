"""Registration never silently duplicates; merges move everything and can be undone;
"different people" is remembered."""

import pytest
from django.db import models

from mboa.core.errors import ApplicationError
from mboa.core.models import Activity
from mboa.registry import services
from mboa.registry.matching import find_candidates
from mboa.registry.models import DuplicateCandidate, Merge, Person, PersonName, ReviewStatus

from .factories import DuplicateFactory, PersonFactory

pytestmark = pytest.mark.django_db

NEW = {"family_name": "Mbarga", "given_names": "Jean Paul", "sex": "M", "date_of_birth": "12/04/1990"}


def test_registration_creates_the_person_with_documents_and_phones(case_manager):
    person = services.person_create(
        by=case_manager, data={**NEW, "place_of_birth": "CE01"}, aliases=[("Mbarga", "J.-P.")],
        documents=[{"kind": "passport", "number": "ab 123 456", "issuing_country": "cm"}], phones=["699 12 34 56"],
    )
    assert (person.birth_year, person.birth_month, person.birth_day) == (1990, 4, 12)
    assert person.place_of_birth.name == "Mfoundi"
    assert person.documents.get().number_normalized == "AB123456"
    assert person.phones.get().number == "+237699123456"
    assert person.registered_by_structure.code == "OIM"
    assert Activity.objects.filter(verb="person.registered", target_id=str(person.pk)).exists()


def test_registration_of_a_probable_duplicate_is_refused_then_queued_when_confirmed(case_manager):
    earlier = PersonFactory(family_name="Mbarga", given_names="Jean-Paul")
    with pytest.raises(services.PossibleDuplicate) as refused:
        services.person_create(by=case_manager, data=NEW)
    assert refused.value.matches[0].person_id == earlier.pk
    assert Person.objects.count() == 1  # nothing written
    person = services.person_create(by=case_manager, data=NEW, confirmed_new=True)
    pair = DuplicateCandidate.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {earlier.pk, person.pk}
    assert pair.source == "registration" and pair.status == "open"


def test_bad_registration_input_says_what_is_wrong(case_manager):
    with pytest.raises(ApplicationError) as error:
        services.person_create(by=case_manager, data={**NEW, "date_of_birth": "31/02/1990"})
    assert error.value.field == "date_of_birth"
    with pytest.raises(ApplicationError) as error:
        services.person_create(by=case_manager, data=NEW, phones=["12"])
    assert error.value.field == "phones" and "Phone 1" in error.value.message
    assert not Person.objects.exists()


def test_psychosocial_counsellor_cannot_register(psy_counsellor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.person_create(by=psy_counsellor, data=NEW)


def test_merge_moves_everything_and_undo_restores_it(case_manager):
    survivor = PersonFactory(birth_month=None, birth_day=None, phone="+237699123456")
    merged = PersonFactory(given_names="Jean Paul", family_name="Mbarga Ondoa", phone="+237677000111",
                           document="CM998877", place_of_birth_text="Lagos", alias=("Mbarga", "Paulo"))
    duplicate = DuplicateCandidate.objects.create(person_a=survivor, person_b=merged, score=0.8, source="scan")

    merge = services.person_merge(survivor=survivor, merged=merged, by=case_manager, duplicate=duplicate)

    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert merged.status == "merged" and merged.merged_into == survivor
    assert set(survivor.phones.values_list("number", flat=True)) == {"+237699123456", "+237677000111"}
    assert survivor.documents.get().number == "CM998877"
    assert survivor.place_of_birth_text == "Lagos" and survivor.birth_month == 4  # filled from the merged record
    assert {str(a) for a in survivor.aliases.all()} == {"MBARGA Paulo", "MBARGA ONDOA Jean Paul"}
    assert not merged.phones.exists() and not merged.documents.exists()
    duplicate.refresh_from_db()
    assert duplicate.status == ReviewStatus.MERGED and duplicate.decided_by == case_manager
    # The merged record no longer matches anything; the survivor is found by the merged record's document.
    assert [m.person_id for m in find_candidates({"document_number": "CM998877", "family_name": "Mbarga"})] == [
        survivor.pk]
    assert Activity.objects.filter(verb="person.merged").exists()

    services.merge_undo(merge=merge, by=case_manager)

    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert merged.status == "active" and merged.merged_into is None
    assert list(survivor.phones.values_list("number", flat=True)) == ["+237699123456"]
    assert list(merged.phones.values_list("number", flat=True)) == ["+237677000111"]
    assert merged.documents.get().number == "CM998877" and not survivor.documents.exists()
    assert survivor.place_of_birth_text == "" and survivor.birth_month is None
    assert list(survivor.aliases.all()) == [] and PersonName.objects.get().person == merged
    duplicate.refresh_from_db()
    assert duplicate.status == ReviewStatus.OPEN
    merge.refresh_from_db()
    assert merge.undone_by == case_manager
    with pytest.raises(ApplicationError):
        services.merge_undo(merge=merge, by=case_manager)


def test_merge_twice_is_refused(case_manager):
    duplicate = DuplicateFactory()
    services.person_merge(survivor=duplicate.person_a, merged=duplicate.person_b, by=case_manager,
                          duplicate=duplicate)
    with pytest.raises(ApplicationError):
        services.person_merge(survivor=duplicate.person_a, merged=duplicate.person_b, by=case_manager)
    assert Merge.objects.count() == 1


def test_undo_is_refused_when_the_survivor_was_merged_since(case_manager):
    a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
    first = services.person_merge(survivor=b, merged=a, by=case_manager)
    services.person_merge(survivor=c, merged=b, by=case_manager)
    with pytest.raises(ApplicationError, match="undo that merge first"):
        services.merge_undo(merge=first, by=case_manager)


def test_different_people_are_remembered_and_never_proposed_again(case_manager):
    duplicate = DuplicateFactory()
    services.duplicate_mark_different(duplicate=duplicate, by=case_manager, note="twins")
    assert find_candidates(duplicate.person_a) == []
    result = services.duplicates_scan()
    assert result["new"] == 0
    duplicate.refresh_from_db()
    assert duplicate.status == "different" and duplicate.note == "twins"


def test_scan_queues_each_duplicate_pair_once():
    a = PersonFactory()
    b = PersonFactory(given_names="Jean Paul", birth_month=12, birth_day=4)
    PersonFactory(family_name="Ngono", given_names="Marie", sex="F", birth_year=1995)
    assert services.duplicates_scan() == {"pairs": 1, "new": 1}
    assert services.duplicates_scan() == {"pairs": 1, "new": 0}
    pair = DuplicateCandidate.objects.get()
    assert (pair.person_a_id, pair.person_b_id, pair.source) == (a.pk, b.pk, "scan")


def test_counsellor_cannot_merge(insertion_counsellor):
    from django.core.exceptions import PermissionDenied

    duplicate = DuplicateFactory()
    with pytest.raises(PermissionDenied):
        services.person_merge(survivor=duplicate.person_a, merged=duplicate.person_b, by=insertion_counsellor,
                              duplicate=duplicate)


def test_nightly_task_and_command_queue_new_pairs():
    from io import StringIO

    from django.core.management import call_command

    from mboa.registry.tasks import scan

    PersonFactory()
    PersonFactory(family_name="MBARGA", given_names="Jean Paul", birth_month=12, birth_day=4)
    assert scan.delay().get() == {"pairs": 1, "new": 1}
    out = StringIO()
    call_command("scan_registry", stdout=out)
    assert "1 pairs found, 0 new" in out.getvalue()


def test_demo_step_is_idempotent():
    from mboa.core.demo import DemoContext
    from mboa.registry import demo

    demo.seed(DemoContext())
    counts = (Person.objects.count(), DuplicateCandidate.objects.count())
    demo.seed(DemoContext())
    assert (Person.objects.count(), DuplicateCandidate.objects.count()) == counts
    assert counts[0] >= 40 and counts[1] >= 1


def test_pairs_declared_different_at_registration_are_decided_not_queued(case_manager):
    earlier = PersonFactory(family_name="Mbarga", given_names="Jean-Paul")
    folded = PersonFactory(family_name="Mbarga", given_names="J. Paul")
    keeper = PersonFactory(family_name="Mbarga", given_names="Jean Paul", birth_day=13)
    services.person_merge(survivor=keeper, merged=folded, by=case_manager)
    person = services.person_create(by=case_manager, data=NEW, confirmed_new=True, source="import",
                                    different_from=[earlier.pk, folded.pk], different_note="seen at reception")
    decided = DuplicateCandidate.objects.filter(status=ReviewStatus.DIFFERENT)
    # The record merged since counts with the one it was merged into.
    assert {frozenset((p.person_a_id, p.person_b_id)) for p in decided} == {
        frozenset((person.pk, other)) for other in (earlier.pk, folded.pk, keeper.pk)}
    pair = decided.get(person_a=earlier)
    assert (pair.source, pair.note, pair.decided_by) == ("import", "seen at reception", case_manager)
    assert pair.score > 0.5 and pair.reasons["name"] in ("exact", "high")  # what the matcher saw, for the weights
    assert not DuplicateCandidate.objects.filter(status=ReviewStatus.OPEN).exists()
    services.duplicates_scan()  # may queue earlier ~ keeper; never the new person with them
    assert not DuplicateCandidate.objects.filter(status=ReviewStatus.OPEN).filter(
        models.Q(person_a=person) | models.Q(person_b=person)).exists()


def test_declaring_an_open_pair_different_decides_it(case_manager):
    duplicate = DuplicateFactory()
    decided = services.pair_declare_different(person=duplicate.person_a, others=[duplicate.person_b_id],
                                              by=case_manager, source="import")
    assert [d.pk for d in decided] == [duplicate.pk]
    duplicate.refresh_from_db()
    assert duplicate.status == ReviewStatus.DIFFERENT and duplicate.source == "scan"
    assert services.pair_declare_different(person=duplicate.person_a, others=[duplicate.person_b_id],
                                           by=case_manager, source="import") == []


def test_only_reviewers_declare_pairs_different_or_start_a_scan(insertion_counsellor):
    from django.core.exceptions import PermissionDenied

    earlier = PersonFactory()
    with pytest.raises(PermissionDenied):
        services.person_create(by=insertion_counsellor, data=NEW, confirmed_new=True, different_from=[earlier.pk])
    with pytest.raises(PermissionDenied):
        services.duplicates_scan(by=insertion_counsellor)
    assert Person.objects.count() == 1
