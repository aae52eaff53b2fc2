"""The dashboards' outcome figures: project survival, sustainability scores, satisfaction and
complaint handling, community projects and awareness. Each reads an aggregate function of
the area that owns the records (``projects.outcomes``, ``monitoring.surveys.selectors``,
``monitoring.feedback.selectors``): counts, means and medians only, nobody is named.

Where the dashboard's filters apply:

- survival: period on the installation date, region of the project, sex of the lead
  promoter, structure that follows the dossier (no age group: a project has none);
- sustainability scores: period on the survey date, destination region, sex and structure
  of the case (no age group); under the adopted weight set, a cell of fewer than
  ``MIN_CELL`` surveys shows its count, not its means;
- feedback and satisfaction: period on reception (answers: on answering), region, sex and
  age group (this year) of the person when known, structure that received the feedback;
- community: period on the start of the project / the day of the activity, region and
  structure; sex and age group only on the counted beneficiaries.

A complaint against staff is only ever counted here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from .figures import FILTER_NAMES, UNKNOWN, Figure, Filters

SURVIVAL_MONTHS = (6, 12)
SURVIVAL_DIMENSIONS = ("sector", "filiere", "region", "kind", "sex")


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


# --- survival ------------------------------------------------------------------------------

def survival_filters(filters: Filters) -> dict[str, Any]:
    """The dashboard's filters as ``projects.outcomes`` filters (the period is the installation date)."""
    from mboa.actors.models import Structure

    result: dict[str, Any] = {"installed_from": filters.start, "installed_to": filters.end,
                              "region": filters.region, "sex": filters.sex}
    if filters.structure:
        result["structure"] = Structure.objects.filter(code=filters.structure).values_list("pk", flat=True).first() or 0
    return {k: v for k, v in result.items() if v not in (None, "")}


def survival_figures(filters: Filters, *, today: dt.date) -> list[Figure]:
    from mboa.projects.outcomes import DIMENSION_LABELS, survival_rows

    applies = ("period", "region", "sex", "structure")
    note = _("Surviving: found running or struggling at a follow-up visit at the milestone or later, and not "
             "stopped or sold before. Rate: surviving / installed long enough; projects not visited count as "
             "not surviving. Period: installation date.")
    query = survival_filters(filters)
    result = []
    for by in ("total", *SURVIVAL_DIMENSIONS):
        merged: dict[Any, list[Any]] = {}
        for i, months in enumerate(SURVIVAL_MONTHS):
            for row in survival_rows(months=months, by=by, filters=query, today=today):
                entry = merged.setdefault(row["value"], [row["label"], *[None] * (3 * len(SURVIVAL_MONTHS))])
                entry[1 + 3 * i: 4 + 3 * i] = [row["installed"], row["surviving"], _percent(row["rate"])]
        rows = sorted(merged.values(), key=lambda r: str(r[0]))
        if by == "total" and not any(r[1] or r[4] for r in rows):
            rows = []
        title = (_("Project survival at 6 and 12 months") if by == "total"
                 else _("Project survival at 6 and 12 months by %(dimension)s") % {"dimension": DIMENSION_LABELS[by]})
        result.append(Figure(
            f"survival_{by}", title,
            [DIMENSION_LABELS[by], _("Installed 6+ months"), _("Surviving at 6 months"), _("Survival at 6 months (%)"),
             _("Installed 12+ months"), _("Surviving at 12 months"), _("Survival at 12 months (%)")],
            rows, series=[3, 6], applies=applies, note=note if by == "total" else ""))
    return result


# --- sustainability scores ----------------------------------------------------------------

def score_filters(filters: Filters, weight_set: Any) -> dict[str, Any]:
    return {k: v for k, v in {"date_from": filters.start, "date_to": filters.end, "region": filters.region,
                              "sex": filters.sex, "structure": filters.structure,
                              "weight_set": weight_set}.items() if v not in (None, "")}


def weight_set_note(weight_set: Any) -> Any:
    from mboa.monitoring.surveys.selectors import MIN_CELL

    if weight_set is None:
        return _("No weight set is adopted: no score is computed yet.")
    text = _("Weights: %(label)s (version %(number)s).") % {"label": weight_set.label, "number": weight_set.number}
    if weight_set.is_example:
        text = f"{text} " + str(_("These are the example weights shipped with Mboa, not weights agreed by the "
                                  "programme: read the scores as an illustration."))
    return f"{text} " + str(_("Scores from 0 to 1. A period of fewer than %(n)s surveys shows its count only.")
                            % {"n": MIN_CELL})


def score_figures(filters: Filters) -> list[Figure]:
    from mboa.monitoring.surveys.models import Round
    from mboa.monitoring.surveys.selectors import current_weight_set, score_trend

    applies = ("period", "region", "sex", "structure")
    weight_set = current_weight_set()
    note = weight_set_note(weight_set)
    rounds = dict(Round.choices)
    columns = [_("Surveys"), _("Economic"), _("Social"), _("Psychosocial"), _("Composite")]

    def rows(group: str) -> list[list[Any]]:
        if weight_set is None:
            return []
        return [[rounds.get(r["period"], r["period"]) if group == "round" else r["period"], r["n"], r["economic"],
                 r["social"], r["psychosocial"], r["composite"]]
                for r in score_trend(filters={**score_filters(filters, weight_set), "group": group})]

    return [
        Figure("scores_round", _("Sustainability scores by survey round"), [_("Round"), *columns], rows("round"),
               chart="line", series=[2, 3, 4, 5], applies=applies, note=note),
        Figure("scores_quarter", _("Sustainability scores by quarter of the survey"), [_("Quarter"), *columns],
               rows("quarter"), chart="line", series=[2, 3, 4, 5], applies=applies, note=note),
    ]


# --- feedback and satisfaction ------------------------------------------------------------

def feedback_filters(filters: Filters) -> dict[str, Any]:
    """The feedback area filters by age group only for a known age (an unknown one is not applied)."""
    age_group = "" if filters.age_group == UNKNOWN else filters.age_group
    return {k: v for k, v in {"date_from": filters.start, "date_to": filters.end, "region": filters.region,
                              "sex": filters.sex, "age_group": age_group,
                              "structure": filters.structure}.items() if v not in (None, "")}


def _people_applies(filters: Filters) -> tuple[str, ...]:
    """Every filter, but "unknown" age group, which feedback and community counts cannot apply."""
    return tuple(n for n in FILTER_NAMES if not (n == "age_group" and filters.age_group == UNKNOWN))


def feedback_figures(filters: Filters, *, now: dt.datetime) -> list[Figure]:
    from mboa.monitoring.feedback import selectors

    data = selectors.feedback_figures(filters=feedback_filters(filters), now=now)
    handling = [
        [_("Feedback received"), data["total"]],
        [_("Complaints"), data["complaints"]],
        [_("Complaints against staff (count only)"), data["against_staff"]],
        [_("Not closed yet"), data["pending"]],
        [_("Median days to first response"), data["median_days_to_first_response"]],
        [_("Median days to closure"), data["median_days_to_closure"]],
        [_("Answered within %(days)s days (%%)") % {"days": data["response_target_days"]},
         _percent(data["share_responded_within_target"])],
        [_("Closed within %(days)s days (%%)") % {"days": data["closure_target_days"]},
         _percent(data["share_closed_within_target"])],
    ]
    satisfaction = data["satisfaction"]
    steps = [[s["label"], s["n"], s["mean"]] for s in satisfaction["by_step"]]
    applies = _people_applies(filters)
    return [
        Figure("feedback_handling", _("Complaint and feedback handling"), [_("Measure"), _("Value")],
               handling if data["total"] else [], chart="", total=data["total"], applies=applies,
               note=_("Within target: among the feedback due (closed, or received longer ago than the target).")),
        Figure("feedback_category", _("Feedback by category"), [_("Category"), _("Feedback")],
               [[r["label"], r["n"]] for r in data["by_category"]] if data["total"] else [], total=data["total"],
               applies=applies),
        Figure("feedback_channel", _("Feedback by channel"), [_("Channel"), _("Feedback")],
               [[r["label"], r["n"]] for r in data["by_channel"]] if data["total"] else [], chart="doughnut",
               total=data["total"], applies=applies),
        Figure("satisfaction_step", _("Satisfaction after each step (1 to 5)"),
               [_("Step"), _("Answers"), _("Mean satisfaction")], steps if satisfaction["answers"] else [],
               series=[2], total=satisfaction["answers"], applies=applies,
               note=_("Mean of all answers: %(mean)s.") % {"mean": satisfaction["mean"] if satisfaction["mean"]
                                                           is not None else "—"}),
    ]


# --- community ----------------------------------------------------------------------------

def community_figures(filters: Filters) -> list[Figure]:
    from mboa.monitoring.feedback import selectors

    data = selectors.community_figures(filters=feedback_filters(filters))
    projects, people, awareness = data["projects"], data["beneficiaries"], data["awareness"]
    applies = ("period", "region", "structure")
    summary = [
        [_("Community projects"), projects["total"]],
        [_("Budget (XAF)"), projects["budget_xaf"]],
        [_("Returnees involved in community projects"), projects["returnees"]],
        [_("Community members reached (non-migrants)"), people["total"]],
        [_("Awareness activities"), awareness["activities"]],
        [_("People reached by awareness activities"), awareness["audience"]],
        [_("Returnees who spoke at an activity"), awareness["speakers"]],
    ]
    any_data = projects["total"] or awareness["activities"]
    return [
        Figure("community_summary", _("Community projects and awareness"), [_("Measure"), _("Value")],
               summary if any_data else [], chart="", applies=applies,
               note=_("Sex and age group filter only the community members counted.")),
        Figure("community_projects_status", _("Community projects by status"), [_("Status"), _("Projects")],
               [[r["label"], r["n"]] for r in projects["by_status"]] if projects["total"] else [], applies=applies,
               total=projects["total"]),
        Figure("community_beneficiaries_sex", _("Community members reached, by sex"), [_("Sex"), _("People")],
               [[r["label"], r["n"]] for r in people["by_sex"]] if people["total"] else [], chart="doughnut",
               total=people["total"], applies=_people_applies(filters)),
        Figure("community_beneficiaries_age", _("Community members reached, by age group"),
               [_("Age group"), _("People")],
               [[r["label"], r["n"]] for r in people["by_age_group"]] if people["total"] else [],
               total=people["total"], applies=_people_applies(filters)),
        Figure("awareness_audience", _("Awareness activities by audience"),
               [_("Audience"), _("Activities"), _("People reached")],
               [[r["label"], r["n"], r["audience"]] for r in awareness["by_audience_kind"]]
               if awareness["activities"] else [], applies=applies, series=[1, 2], total=awareness["activities"]),
    ]


def outcome_sections(filters: Filters, *, now: dt.datetime, today: dt.date) -> list[tuple[Any, list[Figure]]]:
    return [
        (_("Project survival"), survival_figures(filters, today=today)),
        (_("Sustainability scores"), score_figures(filters)),
        (_("Satisfaction and complaints"), feedback_figures(filters, now=now)),
        (_("Community"), community_figures(filters)),
    ]
