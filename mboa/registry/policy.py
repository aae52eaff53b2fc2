"""Access policy of the registry of returnees (see mboa.core.policy)."""

from django.utils.translation import gettext_lazy as _

from mboa.core.policy import Data, Resource, Scope, register

register(
    "registry",
    Resource(
        "person", _("Returnees' records in the registry (identity, documents, phones)"), Data.IDENTITY,
        grants={
            "view": {"admin": Scope.ALL, "case_manager": Scope.ALL, "insertion_counsellor": Scope.ASSIGNED,
                     "psychosocial_counsellor": Scope.ASSIGNED, "focal_point": Scope.STRUCTURE},
            "search": {"insertion_counsellor": Scope.MINIMAL, "psychosocial_counsellor": Scope.MINIMAL},
            "change": {"admin": Scope.ALL, "case_manager": Scope.ALL, "insertion_counsellor": Scope.ASSIGNED},
        },
        pages=("registry:person_list", "registry:person_detail"),
        writes={"change": ("registry:person_create",), "search": ("registry:person_find",)},
        api=("person",),
        note=_("Counsellors see the people of their cases (and those they registered themselves, whose case they "
               "open next); to find someone else they search with a stated reason and get a minimal identity, each "
               "search logged and limited per hour. The police (DGSN) see what they were sent to verify."),
    ),
    Resource(
        "duplicate", _("Possible duplicates and merges"), Data.IDENTITY,
        grants={"view": {"admin": Scope.ALL, "case_manager": Scope.ALL},
                "decide": {"admin": Scope.ALL, "case_manager": Scope.ALL}},
        pages=("registry:review_list", "registry:review_detail"),
        writes={"decide": ("registry:review_merge", "registry:review_different", "registry:merge_undo")},
        api=("duplicate",),
    ),
)
