"""Access policy of the sustainability survey (see mboa.core.policy)."""

from django.utils.translation import gettext_lazy as _

from mboa.core.policy import ROLES, Data, Resource, Scope, register

CASEWORK = {"admin": Scope.ALL, "case_manager": Scope.STRUCTURE, "insertion_counsellor": Scope.ASSIGNED,
            "psychosocial_counsellor": Scope.ASSIGNED, "supervisor": Scope.SUPERVISED}
COLLECTORS = {"admin": Scope.ALL, "case_manager": Scope.STRUCTURE, "insertion_counsellor": Scope.ASSIGNED,
              "psychosocial_counsellor": Scope.ASSIGNED}

register(
    "monitoring",
    Resource(
        "survey_definition", _("The sustainability survey: questions, answer scales, weights, XLSForms"), Data.NONE,
        grants={"view": dict.fromkeys(ROLES, Scope.ALL), "change": {"admin": Scope.ALL}},
        pages=("monitoring:survey_catalog", "monitoring:survey_catalog_template", "monitoring:survey_xlsform"),
        writes={"change": ("monitoring:survey_catalog_upload", "monitoring:survey_weights_adopt")},
        note=_("Administrators load the official definition and adopt weight sets; the example is labelled as such."),
    ),
    Resource(
        "survey_scores", _("A returnee's sustainability scores by round, and their surveys' answers"), Data.IDENTITY,
        grants={"view": CASEWORK, "change": COLLECTORS},
        pages=("monitoring:survey_case", "monitoring:survey_detail"),
        writes={"change": ("monitoring:survey_import",)},
        note=_("The case's staff; submissions imported from ODK/Kobo must be of cases the importer follows. "
               "Every read is logged."),
    ),
    Resource(
        "survey_psychosocial_answers", _("Answers of the psychosocial dimension of the survey"), Data.PSYCHOSOCIAL,
        grants={"view": {"psychosocial_counsellor": Scope.ASSIGNED, "case_manager": Scope.OWN}},
        note=_("As psychosocial notes: the psychosocial counsellors of the case and the case's own manager; the "
               "others see that they are withheld."),
    ),
    Resource(
        "survey_cohorts", _("Sustainability scores by cohort and round"), Data.NONE,
        grants={"view": {"admin": Scope.ALL, "case_manager": Scope.AGGREGATE, "secretariat": Scope.AGGREGATE,
                         "donor": Scope.AGGREGATE, "statistician": Scope.AGGREGATE}},
        pages=("monitoring:survey_cohorts",),
        note=_("Means and counts only; a cell of fewer than 5 surveys shows its count, not its means."),
    ),
)
