"""The lifecycles of cases, approvals and transfers, declared once (see mboa.core.workflows).

Case: open → orientation → plan → in assistance → follow-up → closed; reopening is
allowed (closed → open) and recorded. Two steps need a supervisor's approval: the plan
(plan → assistance) and the closure (any → closed). They are applied by
``services.approval_decide`` only: their guards demand an approved, not yet applied,
approval of the right kind.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mboa.accounts.roles import ADMIN, CASE_MANAGER, INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR
from mboa.core.permissions import check
from mboa.core.workflows import Transition, Workflow

from .models import ApprovalKind, ApprovalStatus, CaseStatus, TransferStatus

WORKERS = (ADMIN, CASE_MANAGER, INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR)


def _may_work(case, user) -> tuple[bool, str]:
    decision = check(user, "cases.work_on_case", case)
    return decision.allowed, str(_("You do not work on this case.")) if not decision else ""


def _approved(kind: str):
    def guard(case, user) -> tuple[bool, str]:
        if not case.approvals.filter(kind=kind, status=ApprovalStatus.APPROVED, applied_at__isnull=True).exists():
            return False, str(_("This step needs a supervisor's approval first."))
        return True, ""

    return guard


def _may_reopen(case, user) -> tuple[bool, str]:
    decision = check(user, "cases.view_case", case)
    return decision.allowed, "" if decision else str(_("You do not work on this case."))


ACTIVE = (CaseStatus.OPEN, CaseStatus.ORIENTATION, CaseStatus.PLAN, CaseStatus.ASSISTANCE, CaseStatus.FOLLOW_UP)

CASE = Workflow(
    name="case",
    states=dict(CaseStatus.choices),
    transitions=[
        Transition("orient", sources=(CaseStatus.OPEN,), target=CaseStatus.ORIENTATION, roles=WORKERS,
                   label=_("Start orientation"), guard=_may_work),
        Transition("draft_plan", sources=(CaseStatus.ORIENTATION,), target=CaseStatus.PLAN, roles=WORKERS,
                   label=_("Draw up the plan"), guard=_may_work),
        Transition("revise_orientation", sources=(CaseStatus.PLAN,), target=CaseStatus.ORIENTATION, roles=WORKERS,
                   label=_("Back to orientation"), guard=_may_work, note_required=True),
        Transition("start_assistance", sources=(CaseStatus.PLAN,), target=CaseStatus.ASSISTANCE,
                   label=_("Plan approved: assistance starts"), guard=_approved(ApprovalKind.PLAN)),
        Transition("start_follow_up", sources=(CaseStatus.ASSISTANCE,), target=CaseStatus.FOLLOW_UP, roles=WORKERS,
                   label=_("Start follow-up"), guard=_may_work),
        Transition("close", sources=ACTIVE, target=CaseStatus.CLOSED, label=_("Close the case"),
                   guard=_approved(ApprovalKind.CLOSURE)),
        Transition("reopen", sources=(CaseStatus.CLOSED,), target=CaseStatus.OPEN, roles=(ADMIN, CASE_MANAGER),
                   label=_("Reopen the case"), guard=_may_reopen, note_required=True),
    ],
)

# The actions a user triggers directly from the case page (the others go through approvals).
MANUAL_ACTIONS = ("orient", "draft_plan", "revise_orientation", "start_follow_up", "reopen")


def _decider(approval, user) -> tuple[bool, str]:
    decision = check(user, "cases.decide_approval", approval)
    return decision.allowed, "" if decision else str(_("Only a supervisor of the case, other than the requester, decides."))


APPROVAL = Workflow(
    name="approval",
    states=dict(ApprovalStatus.choices),
    transitions=[
        Transition("approve", sources=(ApprovalStatus.REQUESTED,), target=ApprovalStatus.APPROVED,
                   label=_("Approve"), guard=_decider),
        Transition("send_back", sources=(ApprovalStatus.REQUESTED,), target=ApprovalStatus.SENT_BACK,
                   label=_("Send back"), guard=_decider, note_required=True),
    ],
)


def _receiver(transfer, user) -> tuple[bool, str]:
    decision = check(user, "cases.decide_transfer", transfer)
    return decision.allowed, "" if decision else str(_("Only the receiving case manager decides."))


def _requester(transfer, user) -> tuple[bool, str]:
    if user.pk in (transfer.requested_by_id, transfer.from_owner_id) or check(user, "cases.reassign", transfer.case):
        return True, ""
    return False, str(_("Only the requester cancels a transfer."))


TRANSFER = Workflow(
    name="transfer",
    states=dict(TransferStatus.choices),
    transitions=[
        Transition("accept", sources=(TransferStatus.REQUESTED,), target=TransferStatus.ACCEPTED,
                   label=_("Accept the transfer"), guard=_receiver),
        Transition("decline", sources=(TransferStatus.REQUESTED,), target=TransferStatus.DECLINED,
                   label=_("Decline the transfer"), guard=_receiver, note_required=True),
        Transition("cancel", sources=(TransferStatus.REQUESTED,), target=TransferStatus.CANCELLED,
                   label=_("Cancel the transfer"), guard=_requester),
    ],
)
