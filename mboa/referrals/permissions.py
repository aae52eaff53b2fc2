"""Who may see and do what with services, referrals and agreements.

- Everyone signed in reads the service catalogue (institutions and places, no people);
  administrators change it.
- Referrals are sent by those who work on the case (cases.work_on_case) and seen by those
  who see the case, and by the focal points of the receiving structure — who see only the
  data that travelled, never the case.
- The receiving structure's focal points find the referrals addressed to it in their inbox
  and move them along their receiving steps; the senders withdraw them.
- The health details of a referral (the health part of what travelled) are read only by the
  staff of the health structure it is addressed to (``referrals.view_health_details``), whoever
  wrote or forwarded them: the sending side (administrators included) sees that they were sent,
  not what they say. Policy ``referral_health`` in policy.py.
- Sending without consent needs the ``referrals.override_consent`` permission (given to
  named people by an administrator) and a reason.
- Agreements: IOM's agreement managers (administrators, secretariat) see and run all of
  them; a structure's focal points see and answer their own structure's; case managers
  and donors read them.
- Delay figures are aggregates without personal data: every signed-in user reads them.
"""

from __future__ import annotations

from typing import Any

from mboa.accounts.roles import (
    CASE_MANAGER,
    DONOR,
    FOCAL_POINT,
    INSERTION_COUNSELLOR,
    PSYCHOSOCIAL_COUNSELLOR,
    SECRETARIAT,
)
from mboa.core.permissions import ALLOW, Decision, check, deny, rule
from mboa.core.policy import tags_for

SENDER_ROLES = (CASE_MANAGER, INSERTION_COUNSELLOR, PSYCHOSOCIAL_COUNSELLOR)


def is_receiver_of(user: Any, referral: Any) -> bool:
    return bool(user.has_role(FOCAL_POINT) and user.structure_id and user.structure_id == referral.structure_id)


def sees_case(user: Any, referral: Any) -> bool:
    return bool(check(user, "cases.view_case", referral.case))


@rule("referrals.view_catalogue")
def view_catalogue(user, obj=None) -> Decision:
    return ALLOW


@rule("referrals.manage_catalogue")
def manage_catalogue(user, obj=None) -> Decision:
    return ALLOW if user.is_admin else deny("only administrators change the service catalogue")


@rule("referrals.view_board")
def view_board(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(SECRETARIAT, *SENDER_ROLES):
        return ALLOW
    return deny("the referral board is for IOM and the counsellors")


@rule("referrals.view_inbox")
def view_inbox(user, referral=None) -> Decision:
    """``referral``: is it in the user's inbox (None: has the user an inbox)."""
    if not (user.has_role(FOCAL_POINT) and user.structure_id):
        return deny("the inbox is for the focal points of a receiving structure")
    if referral is not None and not is_receiver_of(user, referral):
        return deny("addressed to another structure")
    return ALLOW


@rule("referrals.send_referral")
def send_referral(user, case=None) -> Decision:
    """``case``: the case referred (None: may this user send referrals at all)."""
    if not (user.is_admin or user.has_role(*SENDER_ROLES)):
        return deny("referrals are sent by those who accompany the returnee")
    if case is None:
        return ALLOW
    return check(user, "cases.work_on_case", case)


@rule("referrals.view_referral")
def view_referral(user, referral=None) -> Decision:
    if referral is None:
        return ALLOW if (view_board(user) or view_inbox(user)) else deny("no access to referrals")
    if user.is_admin or is_receiver_of(user, referral) or sees_case(user, referral):
        return ALLOW
    return deny("not a referral of your cases or to your structure")


@rule("referrals.act_as_receiver")
def act_as_receiver(user, referral=None) -> Decision:
    if referral is not None and (user.is_admin or is_receiver_of(user, referral)):
        return ALLOW
    return deny("only a focal point of the receiving structure")


@rule("referrals.act_as_sender")
def act_as_sender(user, referral=None) -> Decision:
    if referral is None:
        return deny("no referral")
    if user.is_admin:
        return ALLOW
    if not user.has_role(*SENDER_ROLES):
        return deny("only those who work on the case")
    return ALLOW if sees_case(user, referral) else deny("not one of your cases")


@rule("referrals.view_case_data")
def view_case_data(user, referral=None) -> Decision:
    """The case behind a referral (number, link): the sending side only."""
    if referral is not None and (user.is_admin or sees_case(user, referral)):
        return ALLOW
    return deny("the receiving structure sees only the data that was sent")


@rule("referrals.view_health_details")
def view_health_details(user, referral=None) -> Decision:
    """The health part of a referral: the users of the health structure it is addressed to
    (policy ``referral_health``: health_staff, addressed), whatever their other roles."""
    if referral is None:
        return deny("no referral")
    if not (user.structure_id and user.structure_id == referral.structure_id):
        return deny("health details are read by the health structure the referral is addressed to")
    if "health_staff" not in tags_for(user):
        return deny("health details are read by health structures only")
    return ALLOW


@rule("referrals.override_consent")
def override_consent(user, obj=None) -> Decision:
    if user.is_superuser or user.has_perm("referrals.override_consent"):
        return ALLOW
    return deny("sending without consent needs the override right")


@rule("referrals.view_delays")
def view_delays(user, obj=None) -> Decision:
    return ALLOW


@rule("referrals.view_agreements")
def view_agreements(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(SECRETARIAT, CASE_MANAGER, DONOR):
        return ALLOW
    if user.has_role(FOCAL_POINT) and user.structure_id:
        return ALLOW
    return deny("agreements are followed by IOM, the donor and the structures' focal points")


@rule("referrals.view_agreement")
def view_agreement(user, agreement=None) -> Decision:
    if agreement is None:
        return view_agreements(user)
    if user.is_admin or user.has_role(SECRETARIAT, CASE_MANAGER, DONOR):
        return ALLOW
    if user.has_role(FOCAL_POINT) and user.structure_id == agreement.structure_id:
        return ALLOW
    return deny("not an agreement of your structure")


@rule("referrals.manage_agreements")
def manage_agreements(user, agreement=None) -> Decision:
    if user.is_admin or user.has_role(SECRETARIAT):
        return ALLOW
    return deny("agreements are managed by IOM's secretariat and administrators")


@rule("referrals.add_document")
def add_document(user, agreement=None) -> Decision:
    if user.is_admin or user.has_role(SECRETARIAT):
        return ALLOW
    if agreement is not None and user.has_role(FOCAL_POINT) and user.structure_id == agreement.structure_id:
        return ALLOW
    return deny("documents are added by IOM's secretariat or the structure's focal points")
