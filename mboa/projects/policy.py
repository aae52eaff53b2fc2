"""Access policy of reintegration projects and validation sessions (see mboa.core.policy)."""

from django.utils.translation import gettext_lazy as _

from mboa.core.policy import Data, Resource, Scope, register

READERS = {"admin": Scope.ALL, "case_manager": Scope.ALL, "secretariat": Scope.STRUCTURE,
           "insertion_counsellor": Scope.ASSIGNED, "focal_point": Scope.MEMBER}

register(
    "projects",
    Resource(
        "dossier", _("Project dossiers (promoters' names, budgets, plans)"), Data.IDENTITY,
        grants={"view": READERS,
                "change": {"admin": Scope.ALL, "case_manager": Scope.ALL, "insertion_counsellor": Scope.ASSIGNED},
                "decide": {"admin": Scope.ALL, "case_manager": Scope.ALL, "secretariat": Scope.STRUCTURE}},
        pages=("projects:dossier_list", "projects:dossier_detail", "projects:dossier_diff",
               "projects:decision_letter", "projects:purchase_proof"),
        api=("project-dossier", "project-purchase"),
        writes={"change": ("projects:dossier_create", "projects:dossier_edit", "projects:dossier_submit",
                           "projects:visit_create"),
                "decide": ("projects:amendment_tick", "projects:amended_approve", "projects:purchase_create",
                           "projects:purchase_action")},
        note=_("Counsellors see the dossiers they follow; the GTR's members those put before a session."),
    ),
    Resource(
        "validation_session", _("Validation sessions of the GTR, reviews and determinations"), Data.IDENTITY,
        grants={"view": {**READERS, "donor": Scope.AGGREGATE, "statistician": Scope.AGGREGATE},
                "review": {"focal_point": Scope.ASSIGNED, "admin": Scope.ASSIGNED},
                "decide": {"admin": Scope.ALL, "secretariat": Scope.STRUCTURE}},
        pages=("projects:session_list", "projects:session_detail", "projects:item_detail", "projects:session_synthesis",
               "projects:minutes", "projects:minutes_download"),
        api=("validation-session", "project-review"),
        writes={"review": ("projects:review", "projects:review_item"),
                "decide": ("projects:session_attendance", "projects:session_reviewers", "projects:agenda_add",
                           "projects:session_close", "projects:session_determine", "projects:batch_undo")},
        note=_("The donor and the statistician read the sessions' figures and synthesis, not the promoters."),
    ),
    Resource(
        "followup_visit", _("Follow-up visits of projects and of returnees after closure (findings)"), Data.IDENTITY,
        grants={"view": {**READERS, "psychosocial_counsellor": Scope.ASSIGNED, "supervisor": Scope.SUPERVISED},
                "change": {"admin": Scope.ALL, "case_manager": Scope.ALL, "insertion_counsellor": Scope.ASSIGNED,
                           "psychosocial_counsellor": Scope.ASSIGNED}},
        pages=("projects:visit_list", "projects:visit_detail"),
        api=("project-visit",),
        writes={"change": ("projects:visit_complete", "projects:visit_miss")},
        note=_("Visits of a project go with its dossier; visits of a returnee after closure with their case."),
    ),
    Resource(
        "project_outcomes", _("Project survival at 6 and 12 months (counts and rates)"), Data.NONE,
        grants={"view": {"admin": Scope.ALL, "case_manager": Scope.ALL, "secretariat": Scope.AGGREGATE,
                         "insertion_counsellor": Scope.AGGREGATE, "focal_point": Scope.MEMBER,
                         "donor": Scope.AGGREGATE, "statistician": Scope.AGGREGATE}},
        pages=("projects:survival",),
        api=("project-survival",),
        note=_("Figures only: nobody is named; the GTR's member structures read them too."),
    ),
)
