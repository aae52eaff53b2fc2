"""Who may do what with reintegration projects.

| rule                        | who                                                                      |
|-----------------------------|--------------------------------------------------------------------------|
| view_dossiers               | admins, IOM case managers and secretariat, insertion counsellors, focal  |
|                             | points of the GTR's member structures (they review the dossiers)         |
| view_dossier (dossier)      | admins, IOM: every dossier; insertion counsellors: their structure's;    |
|                             | GTR focal points: the dossiers put on a session's agenda                 |
| add_dossier                 | admins, IOM case managers, insertion counsellors                         |
| change_dossier (dossier)    | admins, IOM case managers, insertion counsellors of the dossier's        |
|                             | structure                                                                |
| view_sessions / synthesis   | view_dossiers; the synthesis (numbers only) also donors and statisticians |
| view_review (review)        | view_sessions (the item page lists the reviews of a dossier)             |
| manage_sessions             | admins, IOM secretariat and case managers (agenda, attendance, minutes)   |
| review (session)            | the reviewers designated for the session                                 |
| recommend (session)         | reviewers and focal points of GTR member structures                      |
| determine (session)         | admins and the IOM secretariat (they record what the GTR decides)        |
| verify_amendments (dossier) | admins, IOM secretariat and case managers                                |
| manage_installation         | admins and IOM case managers (IOM procures the in-kind support)          |
| approve_over_budget         | admins only                                                              |
| record_visit (dossier or    | a project's: change_dossier (its structure's counsellors, IOM case       |
|   visit)                    | managers, admins); a returnee's after closure: who sees the case         |
| view_visits                 | those who see dossiers or cases (their own follow-up visits page)        |
| view_outcomes               | view_dossiers, donors, statisticians, the secretariat: survival figures  |
|                             | (counts and rates only, nobody named)                                    |

Which dossiers each one sees (``dossier_scope``) is shared by ``view_dossier`` and the list
of ``selectors.dossier_list_for_user``.
"""

from __future__ import annotations

from mboa.accounts.roles import (
    CASE_MANAGER,
    DONOR,
    FOCAL_POINT,
    INSERTION_COUNSELLOR,
    SECRETARIAT,
    STATISTICIAN,
)
from mboa.core.permissions import ALLOW, Decision, check, deny, rule

IOM = "OIM"


def _code(user) -> str:
    structure = getattr(user, "structure", None)
    return structure.code if structure is not None else ""


def is_iom_staff(user) -> bool:
    return _code(user) == IOM and user.has_role(CASE_MANAGER, SECRETARIAT)


def gtr_member(user) -> bool:
    """Is the user a focal point of a current member structure of the GTR? (cached on the user)"""
    cached = getattr(user, "_projects_gtr_member", None)
    if cached is None:
        from mboa.governance.models import BodyMembership

        cached = bool(user.structure_id) and user.has_role(FOCAL_POINT) and BodyMembership.objects.filter(
            body__code="GTR", structure_id=user.structure_id, end_date__isnull=True).exists()
        user._projects_gtr_member = cached
    return cached


@rule("projects.view_dossiers")
def view_dossiers(user, obj=None) -> Decision:
    if user.is_admin or is_iom_staff(user) or user.has_role(CASE_MANAGER, INSERTION_COUNSELLOR) or gtr_member(user):
        return ALLOW
    return deny("project dossiers are for counsellors, IOM and the GTR's members")


# Which dossiers a user sees: every one, their structure's, or those put before the GTR.
ALL, STRUCTURE, AGENDA, NONE = "all", "structure", "agenda", ""


def dossier_scope(user) -> str:
    if not view_dossiers(user):
        return NONE
    if user.is_admin or is_iom_staff(user) or user.has_role(CASE_MANAGER):
        return ALL
    if user.has_role(INSERTION_COUNSELLOR):
        return STRUCTURE
    # GTR members see the dossiers put before the GTR, not the ones being drawn up.
    return AGENDA


@rule("projects.view_dossier")
def view_dossier(user, dossier=None) -> Decision:
    scope = dossier_scope(user)
    if scope == ALL or (scope and dossier is None):
        return ALLOW
    if scope == STRUCTURE and dossier.structure_id == user.structure_id:
        return ALLOW
    if scope == AGENDA and dossier.agenda_items.exists():
        return ALLOW
    return deny("this dossier is not one of yours")


@rule("projects.add_dossier")
def add_dossier(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(CASE_MANAGER, INSERTION_COUNSELLOR):
        return ALLOW
    return deny("dossiers are drawn up by counsellors")


@rule("projects.change_dossier")
def change_dossier(user, dossier=None) -> Decision:
    if user.is_admin or user.has_role(CASE_MANAGER):
        return ALLOW
    if user.has_role(INSERTION_COUNSELLOR) and (dossier is None or dossier.structure_id == user.structure_id):
        return ALLOW
    return deny("only the counsellors of the dossier's structure edit it")


@rule("projects.view_sessions")
def view_sessions(user, obj=None) -> Decision:
    return view_dossiers(user, obj)


@rule("projects.view_review")
def view_review(user, review=None) -> Decision:
    return view_sessions(user, review)


@rule("projects.view_synthesis")
def view_synthesis(user, obj=None) -> Decision:
    if view_dossiers(user, obj) or user.has_role(DONOR, STATISTICIAN):
        return ALLOW
    return deny("not allowed")


@rule("projects.manage_sessions")
def manage_sessions(user, obj=None) -> Decision:
    if user.is_admin or is_iom_staff(user):
        return ALLOW
    return deny("sessions are prepared by the IOM secretariat")


@rule("projects.review")
def review(user, session=None) -> Decision:
    if session is None:
        return ALLOW if (user.is_admin or user.review_sessions.exists()) else deny("not a reviewer")
    if session.reviewers.filter(pk=user.pk).exists():
        return ALLOW
    return deny("only the session's designated reviewers score dossiers")


@rule("projects.recommend")
def recommend(user, session=None) -> Decision:
    if gtr_member(user) or (session is not None and session.reviewers.filter(pk=user.pk).exists()):
        return ALLOW
    return deny("recommendations come from the GTR's member structures")


@rule("projects.determine")
def determine(user, session=None) -> Decision:
    if user.is_admin or (_code(user) == IOM and user.has_role(SECRETARIAT)):
        return ALLOW
    return deny("determinations are recorded by the secretariat of the GTR")


@rule("projects.verify_amendments")
def verify_amendments(user, dossier=None) -> Decision:
    if user.is_admin or is_iom_staff(user):
        return ALLOW
    return deny("amendments are verified by IOM")


@rule("projects.manage_installation")
def manage_installation(user, dossier=None) -> Decision:
    if user.is_admin or (_code(user) == IOM and user.has_role(CASE_MANAGER)):
        return ALLOW
    return deny("IOM case managers handle purchases and deliveries")


@rule("projects.approve_over_budget")
def approve_over_budget(user, dossier=None) -> Decision:
    return ALLOW if user.is_admin else deny("only an administrator approves spending over the budget")


@rule("projects.record_visit")
def record_visit(user, obj=None) -> Decision:
    """``obj``: a dossier, a follow-up visit (of a dossier or of a closed case), or None."""
    from .models import FollowUpVisit

    if isinstance(obj, FollowUpVisit):
        if obj.dossier_id:
            return change_dossier(user, obj.dossier)
        if check(user, "cases.view_case", obj.case):
            return ALLOW
        return deny("only those who follow the returnee record this visit")
    if obj is None and not change_dossier(user) and check(user, "cases.view_cases"):
        return ALLOW
    return change_dossier(user, obj)


@rule("projects.view_visits")
def view_visits(user, obj=None) -> Decision:
    if view_dossiers(user) or check(user, "cases.view_cases"):
        return ALLOW
    return deny("follow-up visits are for those who follow projects or returnees")


@rule("projects.view_outcomes")
def view_outcomes(user, obj=None) -> Decision:
    if view_dossiers(user) or user.has_role(DONOR, STATISTICIAN, SECRETARIAT):
        return ALLOW
    return deny("project outcomes are for counsellors, IOM, the GTR, donors and statisticians")
