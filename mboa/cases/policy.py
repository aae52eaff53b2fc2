"""Access policy of case management (see mboa.core.policy)."""

from django.utils.translation import gettext_lazy as _

from mboa.core.policy import ROLES, Data, Resource, Scope, register, register_tag

CASEWORK = {"admin": Scope.ALL, "case_manager": Scope.STRUCTURE, "insertion_counsellor": Scope.ASSIGNED,
            "psychosocial_counsellor": Scope.ASSIGNED, "supervisor": Scope.SUPERVISED}

register(
    "cases",
    Resource(
        "case", _("Case files: identity, consent, household, assessments, sessions, plan"), Data.IDENTITY,
        grants={"view": CASEWORK, "change": CASEWORK,
                "decide": {"admin": Scope.ALL, "supervisor": Scope.SUPERVISED}},
        pages=("cases:case_list", "cases:case_detail", "cases:my_caseload"),
        api=("case", "consent", "assessment", "session"),
        writes={"change": ("cases:case_open", "cases:case_transition", "cases:case_assign", "cases:session_create",
                           "cases:assessment_create", "cases:consent_create", "cases:consent_withdraw",
                           "cases:household_add", "cases:approval_request", "cases:transfer_request",
                           "cases:training_enrol", "cases:saved_filter_save", "cases:saved_filter_delete"),
                "decide": ("cases:approval_decide", "cases:transfer_decide", "cases:supervision")},
        note=_("An IOM case manager sees the cases of their office; counsellors the cases assigned to them; "
               "supervisors those of the staff they supervise. Focal points, the secretariat, the donor and the "
               "statistician see no case."),
    ),
    Resource(
        "psychosocial_notes", _("Psychosocial counselling notes"), Data.PSYCHOSOCIAL,
        grants={"view": {"psychosocial_counsellor": Scope.ASSIGNED, "case_manager": Scope.OWN},
                "change": {"psychosocial_counsellor": Scope.ASSIGNED}},
        note=_("The most restricted data: the psychosocial counsellors of the case and the case's own manager; "
               "not administrators."),
    ),
    Resource(
        "niche", _("Map of promising niches by region"), Data.NONE,
        grants={"view": dict.fromkeys(ROLES, Scope.ALL),
                "change": {"admin": Scope.ALL, "focal_point": Scope.STRUCTURE, "insertion_counsellor": Scope.STRUCTURE}},
        pages=("cases:niche_list",), api=("niche",),
        writes={"change": ("cases:niche_create", "cases:niche_import", "cases:niche_edit")},
        note=_("Kept by FNE and MINJEC."),
    ),
    Resource(
        "training", _("Trainings and enrolments"), Data.IDENTITY,
        grants={"view": {**CASEWORK, "focal_point": Scope.STRUCTURE},
                "change": {"admin": Scope.ALL, "focal_point": Scope.STRUCTURE}},
        pages=("cases:training_list", "cases:training_detail"),
        writes={"change": ("cases:training_create", "cases:enrolment_update")},
        api=("training",),
        note=_("Run by MINEFOP; caseworkers enrol their returnees."),
    ),
    Resource(
        "assessment_forms", _("Assessment forms (questions)"), Data.NONE,
        grants={"view": {"admin": Scope.ALL}, "change": {"admin": Scope.ALL}}, writes={"change": ("cases:form_list",)},
    ),
)


def _supervisor_tag(user) -> set[str]:
    """Supervisors are named in data (cases.Supervisor), not a role."""
    from .models import Supervisor

    return {"supervisor"} if user.pk and Supervisor.objects.filter(user=user).exists() else set()


register_tag(_supervisor_tag)
