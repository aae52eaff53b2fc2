"""Who may see the registry, register people, find a returnee and decide on duplicates.

The registry holds identities of vulnerable people: each reader sees the people their work
needs (``policy.py``, resource ``person``; the scopes are in :mod:`mboa.registry.scopes`).
Matrix (also in docs/registry.md):

| role                                   | see / search          | find (minimal, reason) | register | edit          | review, merge |
|----------------------------------------|:---------------------:|:----------------------:|:--------:|:-------------:|:-------------:|
| administrator                          | everyone              | no (sees everyone)     | yes      | yes           | yes           |
| IOM case manager                       | everyone              | no (sees everyone)     | yes      | yes           | yes           |
| insertion counsellor (MINJEC/PARIJEDI) | people of their cases | yes                    | yes      | their people  | no            |
| psychosocial counsellor (MINAS)        | people of their cases | yes                    | no       | no            | no            |
| DGSN focal point (identity checks)     | what DGSN was sent    | no                     | no       | no            | no            |
| other focal points, secretariat        | no                    | no                     | no       | no            | no            |
| donor, statistician                    | no                    | no                     | no       | no            | no            |

Rules given a person answer for that person (in the user's scope or not); without one,
they answer whether the user may open the pages at all.
"""

from mboa.accounts.roles import CASE_MANAGER, FOCAL_POINT, INSERTION_COUNSELLOR
from mboa.core.permissions import ALLOW, Decision, deny, rule

from .scopes import is_counsellor, person_in_scope, sees_everyone

# Structures whose focal points verify identities (settings could widen this later).
IDENTITY_CHECK_STRUCTURES = frozenset({"DGSN"})


def _identity_checker(user) -> bool:
    structure = getattr(user, "structure", None)
    return user.has_role(FOCAL_POINT) and structure is not None and structure.code in IDENTITY_CHECK_STRUCTURES


def _opens_registry(user) -> bool:
    return sees_everyone(user) or is_counsellor(user) or _identity_checker(user)


@rule("registry.view_people")
def view_people(user, person=None) -> Decision:
    if not _opens_registry(user):
        return deny("the registry is for those who work with returnees' records")
    if person is not None and not person_in_scope(user, person):
        return deny("this person is not among the people of your cases")
    return ALLOW


@rule("registry.find_people")
def find_people(user, obj=None) -> Decision:
    """"Find a returnee" beyond one's own cases: counsellors, minimal identity, with a reason."""
    if is_counsellor(user) and not sees_everyone(user):
        return ALLOW
    return deny("finding a returnee with a stated reason is for counsellors")


@rule("registry.add_person")
def add_person(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(CASE_MANAGER, INSERTION_COUNSELLOR):
        return ALLOW
    return deny("registration is done by IOM case managers and insertion counsellors")


@rule("registry.change_person")
def change_person(user, person=None) -> Decision:
    decision = add_person(user, person)
    if decision and person is not None and not person_in_scope(user, person):
        return deny("this person is not among the people of your cases")
    return decision


@rule("registry.review_duplicates")
def review_duplicates(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(CASE_MANAGER):
        return ALLOW
    return deny("only IOM case managers decide on duplicates")
