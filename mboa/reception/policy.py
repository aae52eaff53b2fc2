"""Access policy of reception at arrival (see mboa.core.policy)."""

from django.utils.translation import gettext_lazy as _

from mboa.core.policy import Data, Resource, Scope, register

IOM_AND_GTA = {"admin": Scope.ALL, "case_manager": Scope.ALL, "insertion_counsellor": Scope.ALL,
               "psychosocial_counsellor": Scope.ALL, "secretariat": Scope.STRUCTURE, "focal_point": Scope.MEMBER}
MANAGERS = {"admin": Scope.ALL, "case_manager": Scope.ALL}

register(
    "reception",
    Resource(
        "arrival", _("Arrivals"), Data.NONE,
        grants={"view": {**IOM_AND_GTA, "donor": Scope.AGGREGATE}, "change": MANAGERS},
        pages=("reception:arrival_list", "reception:arrival_detail"), api=("arrival",),
        writes={"change": ("reception:arrival_create", "reception:arrival_edit", "reception:arrival_action",
                           "reception:hand_over")},
        note=_("IOM and the structures of the reception working group (GTA); the donor reads the figures."),
    ),
    Resource(
        "gta_task", _("The GTA's task board"), Data.NONE,
        grants={"view": {"admin": Scope.ALL, "case_manager": Scope.ALL, "secretariat": Scope.STRUCTURE,
                         "focal_point": Scope.ADDRESSED, "insertion_counsellor": Scope.ADDRESSED,
                         "psychosocial_counsellor": Scope.ADDRESSED},
                "change": {"admin": Scope.ALL, "case_manager": Scope.STRUCTURE, "focal_point": Scope.ADDRESSED}},
        pages=("reception:board",), api=("gtatask",), writes={"change": ("reception:task_complete",)},
        note=_("IOM and MINREX follow the whole board; each structure sees and ticks its own tasks."),
    ),
    Resource(
        "gta_template", _("The template of the GTA's tasks"), Data.NONE,
        grants={"view": {"admin": Scope.ALL, "case_manager": Scope.ALL, "secretariat": Scope.STRUCTURE},
                "change": {"admin": Scope.ALL}},
        pages=("reception:template_detail",),
    ),
    Resource(
        "passenger", _("Returnees on an arrival: the list and the reception stations"), Data.IDENTITY,
        grants={"view": {**IOM_AND_GTA, "insertion_counsellor": Scope.ASSIGNED,
                         "psychosocial_counsellor": Scope.ASSIGNED},
                "change": {"admin": Scope.ALL, "case_manager": Scope.ALL, "insertion_counsellor": Scope.ASSIGNED,
                           "psychosocial_counsellor": Scope.ASSIGNED, "focal_point": Scope.ADDRESSED}},
        pages=("reception:passenger_list", "reception:passenger_detail"), api=("arrivalreturnee",),
        writes={"change": ("reception:station", "reception:step_tick", "reception:passenger_vulnerability",
                           "reception:passenger_identity")},
        note=_("Each desk records its own step; counsellors see the returnees of their cases only; document "
               "numbers and phones go to administrators, IOM case managers and the police (DGSN) only; the donor "
               "sees numbers, not people."),
    ),
    Resource(
        "manifest", _("Passenger lists (manifests) and their import"), Data.IDENTITY,
        grants={"view": MANAGERS, "change": MANAGERS}, api=("manifest",),
        writes={"change": ("reception:manifest_upload", "reception:manifest_review")},
    ),
    Resource(
        "reception_health", _("Medical details, health flags and vulnerability remarks at arrival"), Data.HEALTH,
        grants={"view": {"health_staff": Scope.ALL}, "change": {"health_staff": Scope.ALL}},
        note=_("Health staff only (MINSANTE), not even administrators; free-text remarks count as health data. "
               "Any desk may flag a health need (it then shows to health staff only); the others see that a "
               "returnee is urgent, not why."),
    ),
    Resource(
        "arrival_report", _("The report of an arrival"), Data.NONE,
        grants={"view": {**IOM_AND_GTA, "donor": Scope.AGGREGATE}},
        pages=("reception:report", "reception:report_xlsx", "reception:report_pdf"),
        note=_("Counts by sex, age and vulnerability: nobody identifiable."),
    ),
)
