"""Access policy of the release area (see mboa.core.policy): figures only, nobody named."""

from django.utils.translation import gettext_lazy as _

from mboa.core.policy import Data, Resource, Scope, register

register(
    "statistics",
    Resource(
        "statistical_release", _("Anonymised statistical releases (tables with suppression, record-level extract)"),
        Data.NONE,
        grants={"view": {"admin": Scope.ALL, "statistician": Scope.AGGREGATE},
                "change": {"admin": Scope.ALL, "statistician": Scope.AGGREGATE}},
        pages=("statistics:release_list", "statistics:release_download"),
        writes={"change": ("statistics:release_request",)},
        note=_("Small cells are suppressed and cannot be recomputed from the totals; the record-level extract "
               "has no identifier and generalised quasi-identifiers (month, sex, age group, region)."),
    ),
    Resource(
        "indicators", _("The programme's indicators (JSON and DHIS2 aggregate data)"), Data.NONE,
        grants={"view": {"admin": Scope.ALL, "case_manager": Scope.AGGREGATE, "secretariat": Scope.AGGREGATE,
                         "donor": Scope.AGGREGATE, "statistician": Scope.AGGREGATE}},
        api=("indicators", "indicators-dhis2"),
    ),
    Resource(
        "donor_report", _("The donor's periodic report (page, XLSX, PDF)"), Data.NONE,
        grants={"view": {"admin": Scope.ALL, "case_manager": Scope.AGGREGATE, "secretariat": Scope.AGGREGATE,
                         "donor": Scope.AGGREGATE}},
        pages=("statistics:release_donor_report", "statistics:release_donor_report_xlsx",
               "statistics:release_donor_report_pdf"),
    ),
)
