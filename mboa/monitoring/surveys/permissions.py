"""Who may see and do what with the sustainability survey (see ``policy.py``).

| who | definition, XLSForms | import submissions | a case's scores | answers | psychosocial answers | cohorts |
|---|---|---|---|---|---|---|
| administrator | read, load, adopt | yes | all cases | all cases | no (unless the case's manager) | yes |
| IOM case manager | read | yes | their cases | their cases | of the cases they own | yes |
| insertion counsellor | read | yes | their cases | their cases | no | no |
| psychosocial counsellor | read | yes | their cases | their cases | of their cases | no |
| supervisor | read | — | supervised cases | supervised cases | no | — |
| secretariat, donor, statistician | read | no | no | no | no | figures only |
| focal points | read | no | no | no | no | no |

Scores and answers follow the case (``cases.view_case``); psychosocial answers follow the
psychosocial notes (``cases.read_psychosocial``): the psychosocial counsellors of the case
and its own case manager.
"""

from __future__ import annotations

from typing import Any

from mboa.accounts.roles import CASE_MANAGER, DONOR, SECRETARIAT, STATISTICIAN
from mboa.cases.permissions import is_caseworker, read_psychosocial, view_case, view_cases
from mboa.core.permissions import ALLOW, Decision, deny, rule


@rule("surveys.view_catalog")
def view_catalog(user: Any, obj: Any = None) -> Decision:
    """The questions, scales, weights and XLSForms: no one's data."""
    return ALLOW


@rule("surveys.collect")
def collect(user: Any, obj: Any = None) -> Decision:
    """Those who collect and import surveys (the menu entry of the survey)."""
    return ALLOW if is_caseworker(user) else deny("surveys are collected by those who accompany returnees")


@rule("surveys.manage_catalog")
def manage_catalog(user: Any, obj: Any = None) -> Decision:
    return ALLOW if user.is_admin else deny("administrators load survey definitions and adopt weights")


@rule("surveys.import_submissions")
def import_submissions(user: Any, obj: Any = None) -> Decision:
    """Import an ODK/Kobo export; each row must be a case the user may see (checked per row)."""
    return collect(user, obj)


@rule("surveys.record")
def record(user: Any, case: Any = None) -> Decision:
    """Record a survey on ``case``: those who see the case and collect surveys."""
    allowed = collect(user)
    if not allowed or case is None:
        return allowed
    return view_case(user, case)


@rule("surveys.view_case_surveys")
def view_case_surveys(user: Any, case: Any = None) -> Decision:
    """A returnee's scores and answers: the case's staff."""
    return view_cases(user) if case is None else view_case(user, case)


@rule("surveys.read_psychosocial_answers")
def read_psychosocial_answers(user: Any, case: Any = None) -> Decision:
    return read_psychosocial(user, case)


@rule("surveys.view_cohorts")
def view_cohorts(user: Any, obj: Any = None) -> Decision:
    """Mean scores by cohort and round: figures, nobody identifiable."""
    if user.is_admin or user.has_role(CASE_MANAGER, SECRETARIAT, DONOR, STATISTICIAN):
        return ALLOW
    return deny("cohort figures are for the programme, the secretariat, the donor and the statistician")
