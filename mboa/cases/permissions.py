"""Who may see and do what on cases. One module, used by pages, partials, API and templates.

| who | sees cases | works on a case | psychosocial notes | approves plans/closures, reassigns |
|---|---|---|---|---|
| administrator | all | yes | no (unless owner) | yes |
| IOM case manager | their office's (structure's) cases | yes | of the cases they own | if a supervisor |
| insertion counsellor | cases assigned to them | yes | no | if a supervisor (their structure's cases) |
| psychosocial counsellor | cases assigned to them | yes | yes | if a supervisor (their structure's cases) |
| focal points, secretariat, donor, statistician | none | no | no | no |

Working on a case (sessions, assessments, consent, household, the workflow) needs the case
to be open: a closed case is reopened first. Cases are opened (``cases.open_case``) by IOM
case managers, insertion counsellors and administrators — reception's hand-over is done by
IOM case managers. Every write checks its rule in the service (``require`` → 403).

Supervisors are named in :class:`~mboa.cases.models.Supervisor` (admin); a requester never
decides their own approval. The niche map is read by everyone signed in and edited by
FNE and MINJEC staff (``MBOA_CASES["NICHE_EDITOR_STRUCTURES"]``); trainings are managed by
MINEFOP (``TRAINING_STRUCTURES``).
"""

from __future__ import annotations

from typing import Any

from mboa.accounts.roles import CASE_MANAGER, FOCAL_POINT, INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR
from mboa.core.conf import setting
from mboa.core.permissions import ALLOW, Decision, deny, rule


def counsellor_of(user: Any):
    """The user's Counsellor profile or None (cached on the user object)."""
    if "_cases_counsellor" not in user.__dict__:
        from .models import Counsellor

        user.__dict__["_cases_counsellor"] = (
            Counsellor.objects.filter(user=user, is_active=True).first() if user.pk else None
        )
    return user.__dict__["_cases_counsellor"]


def is_supervisor(user: Any) -> bool:
    if user.is_admin:
        return True
    if "_cases_supervisor" not in user.__dict__:
        from .models import Supervisor

        user.__dict__["_cases_supervisor"] = bool(user.pk) and Supervisor.objects.filter(user=user).exists()
    return user.__dict__["_cases_supervisor"]


def is_caseworker(user: Any) -> bool:
    return user.is_admin or user.has_role(CASE_MANAGER, INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR)


def _counsellor_structures(case: Any) -> set[int]:
    ids = set()
    for c in (case.insertion_counsellor, case.psychosocial_counsellor):
        if c is not None:
            ids.add(c.structure_id)
    return ids


def case_visible(user: Any, case: Any) -> bool:
    """The row-level rule behind :func:`mboa.cases.selectors.case_list_for_user` (kept in step)."""
    if user.is_admin:
        return True
    if user.has_role(CASE_MANAGER) and (case.structure_id == user.structure_id or case.owner_id == user.pk):
        return True
    counsellor = counsellor_of(user)
    if counsellor is not None and counsellor.pk in (case.insertion_counsellor_id, case.psychosocial_counsellor_id):
        return True
    return bool(is_supervisor(user) and user.structure_id and user.structure_id in _counsellor_structures(case))


def supervises(user: Any, case: Any) -> bool:
    if user.is_admin:
        return True
    if not is_supervisor(user):
        return False
    return case.structure_id == user.structure_id or user.structure_id in _counsellor_structures(case)


@rule("cases.view_cases")
def view_cases(user, obj=None) -> Decision:
    if is_caseworker(user) or is_supervisor(user):
        return ALLOW
    return deny("cases are for those who accompany returnees")


@rule("cases.view_case")
def view_case(user, case=None) -> Decision:
    if case is None:
        return view_cases(user)
    return ALLOW if case_visible(user, case) else deny("not one of your cases")


@rule("cases.open_case")
def open_case(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(CASE_MANAGER, INSERTION_COUNSELLOR):
        return ALLOW
    return deny("cases are opened by IOM case managers and insertion counsellors")


@rule("cases.work_on_case")
def work_on_case(user, case=None) -> Decision:
    """Record sessions, assessments, consent, household; move the case along its workflow."""
    if not is_caseworker(user) and not is_supervisor(user):
        return deny("your role does not work on cases")
    if case is None:
        return ALLOW
    if case.is_closed:
        return deny("the case is closed")
    return ALLOW if case_visible(user, case) else deny("not one of your cases")


@rule("cases.record_consent")
def record_consent(user, case=None) -> Decision:
    """Record the returnee's consent on ``case``: an open case the user works on (a closed
    case takes no new consent). None: may the user record consents at all."""
    return work_on_case(user, case)


@rule("cases.withdraw_consent")
def withdraw_consent(user, consent=None) -> Decision:
    """Withdraw a consent. A consent is the person's, not one case's: any open case of the
    person that the user works on will do (so a consent given during an earlier, closed
    case can still be withdrawn); when all their cases are closed, nobody withdraws. A
    person without any case: as for recording a consent outside a case, the role decides."""
    allowed = work_on_case(user)
    if consent is None or not allowed:
        return allowed
    from .models import Case

    cases = list(Case.objects.filter(person_id=consent.person_id).select_related(
        "insertion_counsellor", "psychosocial_counsellor"))
    if not cases or any(work_on_case(user, case) for case in cases):
        return ALLOW
    return deny("a consent is withdrawn on an open case you work on")


@rule("cases.read_psychosocial")
def read_psychosocial(user, case=None) -> Decision:
    """Psychosocial notes: psychosocial counsellors who see the case, and its case manager."""
    if case is None:
        return ALLOW if user.has_role(PSYCHOSOCIAL_COUNSELLOR, CASE_MANAGER) else deny("restricted")
    if case.owner_id == user.pk and user.has_role(CASE_MANAGER):
        return ALLOW
    if user.has_role(PSYCHOSOCIAL_COUNSELLOR) and case_visible(user, case):
        return ALLOW
    return deny("psychosocial notes are restricted to psychosocial counsellors and the case manager")


@rule("cases.assign")
def assign(user, case=None) -> Decision:
    """First assignment: the case manager or a supervisor; reassignment: a supervisor."""
    if case is None:
        return ALLOW if (is_supervisor(user) or user.has_role(CASE_MANAGER)) else deny("not allowed")
    if supervises(user, case):
        return ALLOW
    if user.has_role(CASE_MANAGER) and case_visible(user, case):
        return ALLOW
    return deny("only the case manager or a supervisor assigns counsellors")


@rule("cases.reassign")
def reassign(user, case=None) -> Decision:
    if case is None:
        return ALLOW if is_supervisor(user) else deny("supervisors reassign")
    return ALLOW if supervises(user, case) else deny("supervisors reassign")


@rule("cases.decide_approval")
def decide_approval(user, approval=None) -> Decision:
    if approval is None:
        return ALLOW if is_supervisor(user) else deny("supervisors decide")
    if approval.requested_by_id == user.pk:
        return deny("you cannot decide on your own request")
    return ALLOW if supervises(user, approval.case) else deny("supervisors of the case decide")


@rule("cases.request_transfer")
def request_transfer(user, case=None) -> Decision:
    if not (user.is_admin or user.has_role(CASE_MANAGER) or is_supervisor(user)):
        return deny("case managers and supervisors transfer cases")
    if case is None:
        return ALLOW
    return ALLOW if (case_visible(user, case) and not case.is_closed) else deny("not one of your open cases")


@rule("cases.decide_transfer")
def decide_transfer(user, transfer=None) -> Decision:
    if transfer is None:
        return ALLOW if user.has_role(CASE_MANAGER) or is_supervisor(user) else deny("not allowed")
    if transfer.to_owner_id == user.pk or user.is_admin:
        return ALLOW
    if is_supervisor(user) and user.structure_id == transfer.case.structure_id:
        return ALLOW
    return deny("the receiving case manager accepts the transfer")


@rule("cases.have_caseload")
def have_caseload(user, obj=None) -> Decision:
    if counsellor_of(user) is not None or user.has_role(CASE_MANAGER) or is_supervisor(user):
        return ALLOW
    return deny("no caseload")


@rule("cases.manage_saved_filter")
def manage_saved_filter(user, saved=None) -> Decision:
    """Saved searches of the case list: each user keeps their own."""
    allowed = view_cases(user)
    if saved is None or not allowed:
        return allowed
    return ALLOW if saved.user_id == user.pk else deny("not your saved filter")


@rule("cases.view_supervision")
def view_supervision(user, obj=None) -> Decision:
    return ALLOW if is_supervisor(user) else deny("supervisors only")


@rule("cases.manage_forms")
def manage_forms(user, obj=None) -> Decision:
    return ALLOW if user.is_admin else deny("administrators change assessment forms")


@rule("cases.view_niches")
def view_niches(user, obj=None) -> Decision:
    return ALLOW  # the niche map describes regions, not people


@rule("cases.change_niches")
def change_niches(user, obj=None) -> Decision:
    if user.is_admin:
        return ALLOW
    structure = getattr(user, "structure", None)
    editors = setting("CASES", "NICHE_EDITOR_STRUCTURES")
    if structure is not None and structure.code in editors and user.has_role(FOCAL_POINT, INSERTION_COUNSELLOR):
        return ALLOW
    return deny("the niche map is kept by FNE and MINJEC")


def _training_staff(user) -> bool:
    structure = getattr(user, "structure", None)
    return structure is not None and structure.code in setting("CASES", "TRAINING_STRUCTURES")


@rule("cases.view_trainings")
def view_trainings(user, obj=None) -> Decision:
    if is_caseworker(user) or is_supervisor(user) or _training_staff(user):
        return ALLOW
    return deny("trainings are for caseworkers and MINEFOP")


@rule("cases.manage_trainings")
def manage_trainings(user, offer=None) -> Decision:
    """Create offers, record attendance and completion: MINEFOP staff and administrators."""
    if user.is_admin or _training_staff(user):
        return ALLOW
    return deny("trainings are managed by MINEFOP")
