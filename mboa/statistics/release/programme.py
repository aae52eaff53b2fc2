"""The programme's indicators (reception, cases, referrals, agreements, projects, and the
outcomes: survival, sustainability scores, feedback, community), registered in the
indicator registry by ``setup.ready()``. Each reads aggregate queries of ``selectors`` or
of the area that owns the records; codes are stable (see ``indicators``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import selectors
from .indicators import Filters, Indicator, Value, rate, register, shared

ORIGIN = _("region of origin of the returnee")
SETTLEMENT = _("region of settlement of the case")
PROJECT = _("region of the project")


def _returnees(key: str, share: bool = True):
    def compute(filters: Filters) -> Value:
        counts = shared(selectors.returnee_counts, filters)
        if not share:
            return Value(counts[key])
        return rate(counts[key], counts["total"])
    return compute


def _cases(key: str):
    return lambda filters: Value(shared(selectors.case_counts, filters)[key])


def _reintegrated(filters: Filters) -> Value:
    counts = shared(selectors.case_counts, filters)
    return rate(counts["reintegrated"], counts["closed"])


def _referrals(key: str):
    def compute(filters: Filters) -> Value:
        counts = shared(selectors.referral_counts, filters)
        return Value(counts["sent"]) if key == "sent" else rate(counts[key], counts["sent"])
    return compute


def _projects(key: str):
    return lambda filters: Value(shared(selectors.project_counts, filters)[key])


RECEPTION, CASES, REFERRALS, PROJECTS = _("Reception"), _("Case management"), _("Referrals"), _("Projects")
OUTCOMES, FEEDBACK, COMMUNITY = _("Outcomes"), _("Satisfaction and complaints"), _("Community")
FEEDBACK_REGION = _("region recorded with the feedback or the answer")
COMMUNITY_REGION = _("region of the community project or activity")


# --- outcomes (projects, monitoring) -----------------------------------------------------------

def _survival(months: int):
    """Among the projects whose ``months``-month milestone fell in the period (installed
    ``months`` months before it), the share surviving at that milestone."""
    def compute(filters: Filters) -> Value:
        from mboa.projects.followup import add_months
        from mboa.projects.outcomes import survival_rows

        query = {"installed_from": add_months(filters.date_from, -months),
                 "installed_to": add_months(filters.date_to, -months)}
        if filters.region:
            query["region"] = filters.region
        row = survival_rows(months=months, by="total", filters=query, today=filters.date_to)[0]
        return rate(row["surviving"], row["installed"])
    return compute


def _composite_mean(filters: Filters) -> Value:
    """The mean composite score of the surveys taken in the period, under the adopted
    weights; the number of surveys as denominator. Not published (None) below ``MIN_CELL``
    surveys, as on the dashboards."""
    from django.db.models import Avg, Count

    from mboa.monitoring.surveys.models import SurveyScore
    from mboa.monitoring.surveys.selectors import MIN_CELL, current_weight_set

    weight_set = current_weight_set()
    if weight_set is None:
        return Value(None)
    scores = SurveyScore.objects.filter(weight_set=weight_set, composite__isnull=False,
                                        survey__collected_on__gte=filters.date_from,
                                        survey__collected_on__lte=filters.date_to)
    if filters.region:
        scores = scores.filter(survey__case__destination_region_id=filters.region)
    result = scores.aggregate(n=Count("pk"), mean=Avg("composite"))
    if result["n"] < MIN_CELL:
        return Value(None, None, result["n"] or None)
    return Value(round(float(result["mean"]), 4), None, result["n"])


def _feedback_query(filters: Filters) -> dict:
    return {k: v for k, v in {"date_from": filters.date_from, "date_to": filters.date_to,
                              "region": filters.region}.items() if v}


def _feedback_figures(filters: Filters) -> dict:
    from mboa.monitoring.feedback.selectors import feedback_figures

    return feedback_figures(filters=_feedback_query(filters))


def _feedback(key: str):
    def compute(filters: Filters) -> Value:
        data = shared(_feedback_figures, filters)
        if key == "satisfaction_mean":
            return Value(data["satisfaction"]["mean"], None, data["satisfaction"]["answers"] or None)
        return Value(data[key])
    return compute


def _community(key: str):
    def compute(filters: Filters) -> Value:
        from mboa.monitoring.feedback.selectors import community_figures

        data = community_figures(filters=_feedback_query(filters))
        return Value(data["awareness"]["activities"] if key == "activities" else data["beneficiaries"]["total"])
    return compute


INDICATORS = (
    Indicator("arrivals", _("Arrivals received"), lambda f: selectors.arrivals_count(f), group=RECEPTION, order=10),
    Indicator("returnees", _("Returnees received"), _returnees("total", share=False), group=RECEPTION,
              region_basis=ORIGIN, order=11),
    Indicator("returnees_female", _("Share of women among returnees"), _returnees("female"), unit="rate",
              group=RECEPTION, region_basis=ORIGIN, order=12),
    Indicator("returnees_male", _("Share of men among returnees"), _returnees("male"), unit="rate",
              group=RECEPTION, region_basis=ORIGIN, order=13),
    Indicator("returnees_minor", _("Share of minors (under 18) among returnees"), _returnees("minor"), unit="rate",
              group=RECEPTION, region_basis=ORIGIN, order=14),
    Indicator("returnees_vulnerable", _("Share of returnees with a vulnerability at arrival"),
              _returnees("vulnerable"), unit="rate", group=RECEPTION, region_basis=ORIGIN, order=15),
    Indicator("cases_opened", _("Cases opened"), _cases("opened"), group=CASES, region_basis=SETTLEMENT, order=20),
    Indicator("cases_closed", _("Cases closed"), _cases("closed"), group=CASES, region_basis=SETTLEMENT, order=21),
    Indicator("cases_reintegrated", _("Share of closed cases closed as reintegrated"), _reintegrated, unit="rate",
              group=CASES, region_basis=SETTLEMENT, order=22),
    Indicator("referrals_sent", _("Referrals sent"), _referrals("sent"), group=REFERRALS, region_basis=SETTLEMENT,
              order=30),
    Indicator("referrals_accepted", _("Share of referrals accepted"), _referrals("accepted"), unit="rate",
              group=REFERRALS, region_basis=SETTLEMENT, order=31),
    Indicator("referrals_completed", _("Share of referrals whose service was delivered"), _referrals("completed"),
              unit="rate", group=REFERRALS, region_basis=SETTLEMENT, order=32),
    Indicator("referral_accept_days", _("Mean days from sending to acceptance of a referral"),
              lambda f: Value(selectors.referral_accept_days(f)), unit="days", group=REFERRALS,
              region_basis=SETTLEMENT, order=33),
    Indicator("agreements_signed", _("Agreements signed"), lambda f: Value(selectors.agreements_signed(f)),
              group=REFERRALS, order=34),
    Indicator("projects_approved", _("Projects approved"), _projects("approved"), group=PROJECTS,
              region_basis=PROJECT, order=40),
    Indicator("projects_installed", _("Projects installed"), _projects("installed"), group=PROJECTS,
              region_basis=PROJECT, order=41),
    Indicator("project_survival_6m", _("Share of projects surviving 6 months after installation"), _survival(6),
              unit="rate", group=OUTCOMES, region_basis=PROJECT, order=50),
    Indicator("project_survival_12m", _("Share of projects surviving 12 months after installation"), _survival(12),
              unit="rate", group=OUTCOMES, region_basis=PROJECT, order=51),
    Indicator("sustainability_composite_mean", _("Mean composite reintegration sustainability score (0 to 1)"),
              _composite_mean, unit="mean", group=OUTCOMES, region_basis=SETTLEMENT, order=52),
    Indicator("satisfaction_mean", _("Mean satisfaction after a step of assistance (1 to 5)"),
              _feedback("satisfaction_mean"), unit="mean", group=FEEDBACK, region_basis=FEEDBACK_REGION, order=60),
    Indicator("feedback_first_response_median_days", _("Median days from a feedback to its first response"),
              _feedback("median_days_to_first_response"), unit="days", group=FEEDBACK,
              region_basis=FEEDBACK_REGION, order=61),
    Indicator("feedback_closed_within_target_share", _("Share of feedback due that was closed within the target"),
              _feedback("share_closed_within_target"), unit="rate", group=FEEDBACK, region_basis=FEEDBACK_REGION,
              order=62),
    Indicator("awareness_activities", _("Awareness activities held"), _community("activities"), group=COMMUNITY,
              region_basis=COMMUNITY_REGION, order=70),
    Indicator("community_beneficiaries", _("Community members reached by community projects started"),
              _community("beneficiaries"), group=COMMUNITY, region_basis=COMMUNITY_REGION, order=71),
)


def register_all() -> None:
    register(*INDICATORS)
