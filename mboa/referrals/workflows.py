"""The lifecycles of referrals and agreements, declared once (see mboa.core.workflows).

Referral: sent → acknowledged → accepted | declined (reason) → in progress → delivered |
not delivered (reason) → closed; the sender may withdraw it until the service starts.
Receiving-side steps are taken by a focal point of the receiving structure (guard);
sending-side steps by those who work on the case.

Agreement: idea → drafting → sent → under review → comments returned → (sent again …) →
final text → signed → in force → expired | terminated. Each status says who holds the
ball by default (``BALL_BY_STATUS``); the person moving it may say otherwise.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mboa.accounts.roles import ADMIN, CASE_MANAGER, FOCAL_POINT, INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR, SECRETARIAT
from mboa.core.permissions import check
from mboa.core.workflows import Transition, Workflow

from .models import AgreementStatus as A
from .models import Party
from .models import ReferralStatus as R

SENDERS = (ADMIN, CASE_MANAGER, INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR)
RECEIVERS = (ADMIN, FOCAL_POINT)
AGREEMENT_MANAGERS = (ADMIN, SECRETARIAT)


def _receiver(referral, user) -> tuple[bool, str]:
    decision = check(user, "referrals.act_as_receiver", referral)
    return decision.allowed, "" if decision else str(_("Only a focal point of the receiving structure can do this."))


def _sender(referral, user) -> tuple[bool, str]:
    decision = check(user, "referrals.act_as_sender", referral)
    return decision.allowed, "" if decision else str(_("Only those who work on the case can do this."))


REFERRAL = Workflow(
    name="referral",
    states=dict(R.choices),
    initial=R.SENT,
    transitions=[
        Transition("acknowledge", sources=(R.SENT,), target=R.ACKNOWLEDGED, roles=RECEIVERS,
                   label=_("Acknowledge receipt"), guard=_receiver),
        Transition("accept", sources=(R.SENT, R.ACKNOWLEDGED), target=R.ACCEPTED, roles=RECEIVERS,
                   label=_("Accept"), guard=_receiver),
        Transition("decline", sources=(R.SENT, R.ACKNOWLEDGED), target=R.DECLINED, roles=RECEIVERS,
                   label=_("Decline"), note_required=True, guard=_receiver),
        Transition("start", sources=(R.ACCEPTED,), target=R.IN_PROGRESS, roles=RECEIVERS,
                   label=_("Start the service"), guard=_receiver),
        Transition("deliver", sources=(R.ACCEPTED, R.IN_PROGRESS), target=R.DELIVERED, roles=RECEIVERS,
                   label=_("Service delivered"), guard=_receiver),
        Transition("not_deliver", sources=(R.ACCEPTED, R.IN_PROGRESS), target=R.NOT_DELIVERED, roles=RECEIVERS,
                   label=_("Service not delivered"), note_required=True, guard=_receiver),
        Transition("close", sources=(R.DELIVERED, R.NOT_DELIVERED, R.DECLINED), target=R.CLOSED,
                   roles=SENDERS + RECEIVERS, label=_("Close"),
                   guard=lambda r, u: (_receiver(r, u) if _receiver(r, u)[0] else _sender(r, u))),
        Transition("withdraw", sources=(R.SENT, R.ACKNOWLEDGED, R.ACCEPTED), target=R.WITHDRAWN, roles=SENDERS,
                   label=_("Withdraw"), note_required=True, guard=_sender),
    ],
)

# Which steps belong to the receiver (inbox buttons) and which to the sender.
RECEIVER_ACTIONS = ("acknowledge", "accept", "decline", "start", "deliver", "not_deliver", "close")
OPEN_REFERRAL_STATUSES = (R.SENT, R.ACKNOWLEDGED, R.ACCEPTED, R.IN_PROGRESS)


def _structure_side(agreement, user) -> tuple[bool, str]:
    """IOM's agreement managers, or a focal point of the agreement's own structure."""
    if user.is_superuser or user.has_role(*AGREEMENT_MANAGERS):
        return True, ""
    if user.has_role(FOCAL_POINT) and user.structure_id == agreement.structure_id:
        return True, ""
    return False, str(_("Only IOM's agreement managers or the structure's focal points can do this."))


IOM_SIDE = AGREEMENT_MANAGERS
BOTH_SIDES = (*AGREEMENT_MANAGERS, FOCAL_POINT)

AGREEMENT = Workflow(
    name="agreement",
    states=dict(A.choices),
    initial=A.IDEA,
    transitions=[
        Transition("start_drafting", sources=(A.IDEA,), target=A.DRAFTING, roles=IOM_SIDE, label=_("Start drafting")),
        Transition("send", sources=(A.DRAFTING, A.COMMENTS_RETURNED), target=A.SENT, roles=IOM_SIDE,
                   label=_("Send to the structure")),
        Transition("start_review", sources=(A.SENT,), target=A.UNDER_REVIEW, roles=BOTH_SIDES,
                   label=_("Review started by the structure"), guard=_structure_side),
        Transition("return_comments", sources=(A.SENT, A.UNDER_REVIEW), target=A.COMMENTS_RETURNED,
                   roles=BOTH_SIDES, label=_("Comments returned"), guard=_structure_side),
        Transition("finalise", sources=(A.DRAFTING, A.SENT, A.UNDER_REVIEW, A.COMMENTS_RETURNED), target=A.FINAL_TEXT,
                   roles=IOM_SIDE, label=_("Final text agreed")),
        Transition("sign", sources=(A.FINAL_TEXT,), target=A.SIGNED, roles=IOM_SIDE, label=_("Signed")),
        Transition("enter_into_force", sources=(A.SIGNED,), target=A.IN_FORCE, roles=IOM_SIDE,
                   label=_("Entered into force")),
        Transition("expire", sources=(A.IN_FORCE,), target=A.EXPIRED, roles=IOM_SIDE, label=_("Expired")),
        Transition("terminate", sources=(A.SIGNED, A.IN_FORCE), target=A.TERMINATED, roles=IOM_SIDE,
                   label=_("Terminate"), note_required=True),
    ],
)

# Who must act next, by default, in each status ("" once nobody has to).
BALL_BY_STATUS = {
    A.IDEA: Party.IOM,
    A.DRAFTING: Party.IOM,
    A.SENT: Party.STRUCTURE,
    A.UNDER_REVIEW: Party.STRUCTURE,
    A.COMMENTS_RETURNED: Party.IOM,
    A.FINAL_TEXT: Party.STRUCTURE,  # awaiting the minister's signature, most often
    A.SIGNED: Party.IOM,  # IOM records the entry into force
    A.IN_FORCE: Party.NONE,
    A.EXPIRED: Party.NONE,
    A.TERMINATED: Party.NONE,
}
NEGOTIATION_STATUSES = (A.IDEA, A.DRAFTING, A.SENT, A.UNDER_REVIEW, A.COMMENTS_RETURNED, A.FINAL_TEXT, A.SIGNED)
