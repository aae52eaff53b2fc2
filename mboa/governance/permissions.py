"""Who may see and change bodies, meetings, decisions, commitments and broadcasts.

Everyone signed in sees the bodies and their members. Administrators and the
secretariat (IOM holds the secretariat of the bodies) create bodies, change their
membership and run the meetings; donors, statisticians and ministry focal points read
only.

Governance records are not personal data, but each ministry sees the meetings and the
commitments of the bodies it sits on (and its own commitments); the secretariat,
administrators and the donor (co-chair of the COPIL) see all of them.

A body's broadcast is sent by administrators, the secretariat, or a focal point of one of
the body's co-chair structures (MINREX co-administers the GTA message group). Donor and
statistician accounts read only, even in a co-chair structure (the DUE).
"""

from mboa.accounts.roles import DONOR, FOCAL_POINT, SECRETARIAT
from mboa.core.permissions import ALLOW, Decision, deny, rule


def _secretariat(user) -> bool:
    return user.is_admin or user.has_role(SECRETARIAT)


@rule("governance.view_bodies")
def view_bodies(user, obj=None) -> Decision:
    return ALLOW


@rule("governance.add_body")
def add_body(user, obj=None) -> Decision:
    return ALLOW if _secretariat(user) else deny("only administrators and the secretariat create bodies")


@rule("governance.change_body")
def change_body(user, body=None) -> Decision:
    return add_body(user, body)


@rule("governance.view_history")
def view_history(user, body=None) -> Decision:
    return add_body(user, body)


def sees_all_governance(user) -> bool:
    return user.is_admin or user.has_role(SECRETARIAT, DONOR)


def _member_of(user, body) -> bool:
    if not user.structure_id or body is None:
        return False
    return body.memberships.filter(structure_id=user.structure_id, end_date__isnull=True).exists()


@rule("governance.view_meetings")
def view_meetings(user, meeting=None) -> Decision:
    if meeting is None or sees_all_governance(user):
        return ALLOW
    if _member_of(user, meeting.body) or meeting.invitations.filter(structure_id=user.structure_id).exists():
        return ALLOW
    return deny("your structure does not sit on this body")


@rule("governance.manage_meetings")
def manage_meetings(user, obj=None) -> Decision:
    return ALLOW if _secretariat(user) else deny("only the secretariat and administrators run meetings")


@rule("governance.view_commitment")
def view_commitment(user, commitment=None) -> Decision:
    if commitment is None or sees_all_governance(user):
        return ALLOW
    if commitment.structure_id == user.structure_id or _member_of(user, commitment.body):
        return ALLOW
    return deny("your structure does not sit on this body")


@rule("governance.update_commitment")
def update_commitment(user, commitment=None) -> Decision:
    if manage_meetings(user, commitment):
        return ALLOW
    if commitment is not None and commitment.structure_id == user.structure_id and user.has_role(FOCAL_POINT):
        return ALLOW
    return deny("only the committed structure's focal points and the secretariat update a commitment")


@rule("governance.view_commitment_stats")
def view_commitment_stats(user, obj=None) -> Decision:
    return ALLOW


def _co_chair(user, body) -> bool:
    return bool(body is not None and user.structure_id and body.memberships.filter(
        structure_id=user.structure_id, role="co_chair", end_date__isnull=True).exists())


@rule("governance.broadcast")
def broadcast(user, body=None) -> Decision:
    if _secretariat(user) or (user.has_role(FOCAL_POINT) and _co_chair(user, body)):
        return ALLOW
    return deny("only the secretariat and the co-chairs broadcast to a body")


@rule("governance.view_broadcast")
def view_broadcast(user, broadcast=None) -> Decision:
    """The sender, those who see all of governance, and the users of the body's co-chairs."""
    if broadcast is None or sees_all_governance(user) or broadcast.sent_by_id == user.pk:
        return ALLOW
    if _co_chair(user, broadcast.body):
        return ALLOW
    return deny("only the sender, the secretariat and the body's co-chairs read its broadcasts")
