"""Who may see the registry, register people and decide on duplicates.

The registry holds identities of vulnerable people: it is read only by those who work
with returnees' records, and by DGSN (the police, who identify returnees and verify
their nationality). Matrix (also in docs/registry.md):

| role                                   | see / search | register, edit | review, merge, undo |
|----------------------------------------|:------------:|:--------------:|:-------------------:|
| administrator                          | yes          | yes            | yes                 |
| IOM case manager                       | yes          | yes            | yes                 |
| insertion counsellor (MINJEC/PARIJEDI) | yes          | yes            | no                  |
| psychosocial counsellor (MINAS)        | yes          | no             | no                  |
| DGSN focal point (identity checks)     | yes          | no             | no                  |
| other focal points, secretariat        | no           | no             | no                  |
| donor, statistician                    | no           | no             | no                  |
"""

from mboa.accounts.roles import CASE_MANAGER, FOCAL_POINT, INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR
from mboa.core.permissions import ALLOW, Decision, deny, rule

# Structures whose focal points verify identities (settings could widen this later).
IDENTITY_CHECK_STRUCTURES = frozenset({"DGSN"})



def _identity_checker(user) -> bool:
    structure = getattr(user, "structure", None)
    return user.has_role(FOCAL_POINT) and structure is not None and structure.code in IDENTITY_CHECK_STRUCTURES


@rule("registry.view_people")
def view_people(user, person=None) -> Decision:
    if user.is_admin or user.has_role(CASE_MANAGER, INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR):
        return ALLOW
    if _identity_checker(user):
        return ALLOW
    return deny("the registry is for those who work with returnees' records")


@rule("registry.add_person")
def add_person(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(CASE_MANAGER, INSERTION_COUNSELLOR):
        return ALLOW
    return deny("registration is done by IOM case managers and insertion counsellors")


@rule("registry.change_person")
def change_person(user, person=None) -> Decision:
    return add_person(user, person)


@rule("registry.review_duplicates")
def review_duplicates(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(CASE_MANAGER):
        return ALLOW
    return deny("only IOM case managers decide on duplicates")
