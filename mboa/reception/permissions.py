"""Who may do what at reception.

| rule                         | who                                                                   |
|------------------------------|-----------------------------------------------------------------------|
| view_arrivals                | administrators, IOM staff, counsellors, GTA structures' focal points   |
| manage_arrivals              | administrators, IOM case managers (create, edit, import, hand over)    |
| view_passengers (returnee)   | administrators, IOM case managers and secretariat, GTA structures'     |
|                              | focal points (the desks tick returnees through their steps): all;      |
|                              | counsellors: the returnees of their cases only                         |
| (documents and phones)       | administrators, case managers and the police (DGSN focal points)       |
|                              | (``sees_documents``; the selectors blank them for everyone else)       |
| record_step (step code)      | the structures of settings.MBOA_RECEPTION["STEP_STRUCTURES"]; OIM staff |
|                              | need the case manager role                                             |
| view_medical                 | health staff only (MBOA["HEALTH_STRUCTURES"]), not even admins         |
| view_board                   | administrators, IOM case managers and secretariat, focal points of the |
|                              | board structures (OIM, MINREX: they run the GTA message group)         |
| complete_task (task)         | the task's structure (focal points; IOM case managers for OIM), admins |
| view_report                  | view_arrivals plus donors (numbers only, nobody identifiable)          |
| flag_vulnerability           | anyone who records a step                                              |
| manage_templates             | administrators                                                         |
"""

from __future__ import annotations

from django.db.models import Q

from mboa.accounts.roles import (
    CASE_MANAGER,
    DONOR,
    FOCAL_POINT,
    INSERTION_COUNSELLOR,
    PSYCHOSOCIAL_COUNSELLOR,
    SECRETARIAT,
)
from mboa.core.conf import setting
from mboa.core.permissions import ALLOW, Decision, deny, rule

GTA_STRUCTURES = frozenset({"OIM", "DUE", "MINREX", "MINSANTE", "MINAS", "MINJEC", "MINAT", "DGSN"})
IOM = "OIM"



def _code(user) -> str:
    structure = getattr(user, "structure", None)
    return structure.code if structure is not None else ""


def is_health_staff(user) -> bool:
    return bool(_code(user)) and _code(user) in setting("", "HEALTH_STRUCTURES")


@rule("reception.view_arrivals")
def view_arrivals(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(CASE_MANAGER, INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR):
        return ALLOW
    if user.has_role(SECRETARIAT) and _code(user) == IOM:
        return ALLOW
    if user.has_role(FOCAL_POINT) and (_code(user) in GTA_STRUCTURES or is_health_staff(user)):
        return ALLOW
    return deny("arrivals are for IOM and the structures of the reception working group")


@rule("reception.manage_arrivals")
def manage_arrivals(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(CASE_MANAGER):
        return ALLOW
    return deny("arrivals are prepared by IOM case managers")


def sees_all_passengers(user) -> bool:
    """Administrators, IOM case managers and secretariat, the GTA structures' focal points:
    every returnee of every arrival (the desks work from the whole list)."""
    if user.has_role(FOCAL_POINT) and _code(user) == "DUE":
        return False
    if user.is_admin or user.has_role(CASE_MANAGER):
        return True
    if user.has_role(SECRETARIAT) and _code(user) == IOM:
        return True
    return user.has_role(FOCAL_POINT) and (_code(user) in GTA_STRUCTURES or is_health_staff(user))


def counsellor_cases(user):
    """Counsellors: the condition on a returnee's case that makes it theirs (None: not a counsellor)."""
    if not user.has_role(INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR):
        return None
    from mboa.cases.permissions import counsellor_of

    counsellor = counsellor_of(user)
    if counsellor is None:
        return Q(pk__in=[])
    return Q(case__insertion_counsellor_id=counsellor.pk) | Q(case__psychosocial_counsellor_id=counsellor.pk)


@rule("reception.view_passengers")
def view_passengers(user, obj=None) -> Decision:
    """Without ``obj``: may the user see any returnee; with a returnee: that one.
    Kept in step with :func:`mboa.reception.selectors.passenger_list_for_user`."""
    if sees_all_passengers(user):
        return ALLOW
    if user.has_role(INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR):
        if obj is None:
            return ALLOW
        from mboa.cases.permissions import counsellor_of

        counsellor = counsellor_of(user)
        case = getattr(obj, "case", None)
        if counsellor is not None and case is not None and counsellor.pk in (
                case.insertion_counsellor_id, case.psychosocial_counsellor_id):
            return ALLOW
        return deny("counsellors see the returnees of their cases")
    return deny("returnees are for IOM and the desks of the reception working group")


def sees_documents(user) -> bool:
    """Document (passport) numbers and phones of returnees: administrators, IOM case
    managers and the police (DGSN focal points)."""
    return user.is_admin or user.has_role(CASE_MANAGER) or (user.has_role(FOCAL_POINT) and _code(user) == "DGSN")


@rule("reception.record_step")
def record_step(user, step: str | None = None) -> Decision:
    """``step``: a StepCode value; None asks "may the user record any step at all"."""
    if user.is_admin:
        return ALLOW
    code = _code(user)
    steps = setting("RECEPTION", "STEP_STRUCTURES")
    candidates = [step] if step else list(steps)
    for name in candidates:
        if code not in steps.get(name, ()):
            continue
        if code == IOM and not user.has_role(CASE_MANAGER):
            continue
        if name == "police" and code == "DGSN" and not user.has_role(FOCAL_POINT):
            continue
        return ALLOW
    return deny("this step is recorded by another structure")


@rule("reception.view_medical")
def view_medical(user, obj=None) -> Decision:
    return ALLOW if is_health_staff(user) else deny("medical details are for health staff only")


@rule("reception.view_board")
def view_board(user, obj=None) -> Decision:
    if user.is_admin or (_code(user) == IOM and user.has_role(CASE_MANAGER, SECRETARIAT)):
        return ALLOW
    if user.has_role(FOCAL_POINT) and _code(user) in setting("RECEPTION", "BOARD_STRUCTURES"):
        return ALLOW
    return deny("the whole board is for IOM and MINREX; you see your structure's tasks")


def may_act_for_structure(user, structure_id: int | None) -> bool:
    if user.is_admin:
        return True
    if structure_id is None or user.structure_id != structure_id:
        return False
    return user.has_role(FOCAL_POINT, SECRETARIAT) or (_code(user) == IOM and user.has_role(CASE_MANAGER))


@rule("reception.complete_task")
def complete_task(user, task=None) -> Decision:
    if task is None:
        return ALLOW if (user.is_admin or user.has_role(FOCAL_POINT, CASE_MANAGER)) else deny("")
    return ALLOW if may_act_for_structure(user, task.structure_id) else deny("another structure's task")


def task_guard(task, user) -> tuple[bool, str]:
    """Workflow guard: only the task's own structure (or an administrator) ticks it."""
    decision = complete_task(user, task)
    return decision.allowed, decision.reason


@rule("reception.view_report")
def view_report(user, obj=None) -> Decision:
    if user.has_role(DONOR):
        return ALLOW
    return view_arrivals(user, obj)


@rule("reception.flag_vulnerability")
def flag_vulnerability(user, obj=None) -> Decision:
    return record_step(user, None)


@rule("reception.manage_templates")
def manage_templates(user, obj=None) -> Decision:
    return ALLOW if user.is_admin else deny("only administrators change the GTA task template")
