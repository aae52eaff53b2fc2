"""Access policy of the directory (see mboa.core.policy): institutions, not people."""

from django.utils.translation import gettext_lazy as _

from mboa.core.policy import ROLES, Data, Resource, Scope, register

EVERYONE = dict.fromkeys(ROLES, Scope.ALL)

register(
    "actors",
    Resource(
        "structure", _("Structures and their focal points"), Data.NONE,
        grants={
            "view": EVERYONE,
            "change": {"admin": Scope.ALL, "focal_point": Scope.STRUCTURE, "secretariat": Scope.STRUCTURE},
            "change identity (code, kind, parent, status)": {"admin": Scope.ALL},
        },
        pages=("actors:structure_list", "actors:structure_detail"),
        writes={"change": ("actors:structure_create", "actors:structure_edit", "actors:focal_point_create",
                           "actors:focal_point_edit")},
        api=("structure", "focalpoint"),
        note=_("The directory holds institutions and their official contacts (named focal points), "
               "read by everyone signed in."),
    ),
)
