from django.utils.translation import gettext_lazy as _

from mboa.core.policy import Data, Resource, Scope, register

READERS = dict.fromkeys(("admin", "case_manager", "secretariat", "focal_point", "donor", "statistician"),
                        Scope.AGGREGATE)

register(
    "statistics",
    Resource(
        "dashboards", _("Dashboards: figures of arrivals, cases, referrals, agreements, projects, commitments"),
        Data.NONE, grants={"view": READERS},
        pages=("statistics:dashboards_index", "statistics:dashboards_xlsx", "statistics:dashboards_reports"),
        note=_("Counts and means computed by the database; counsellors appear by structure, city and number, "
               "never by name."),
    ),
    Resource(
        "ownership", _("Government-ownership indicators and index"), Data.NONE, grants={"view": READERS},
        pages=("statistics:dashboards_ownership", "statistics:dashboards_ownership_xlsx"),
        note=_("Shares of the work carried by government structures; the index is shown with its parts and "
               "its version of the weights."),
    ),
)
