"""Who may see and change bodies.

Everyone signed in sees the bodies and their members. Administrators and the
secretariat (IOM holds the secretariat of the bodies) create bodies and change their
membership; donors, statisticians and ministry focal points read only.
"""

from mboa.accounts.roles import ADMIN, SECRETARIAT
from mboa.core.permissions import ALLOW, Decision, deny, rule


@rule("governance.view_bodies")
def view_bodies(user, obj=None) -> Decision:
    return ALLOW


@rule("governance.add_body")
def add_body(user, obj=None) -> Decision:
    if user.is_superuser or user.has_role(ADMIN, SECRETARIAT):
        return ALLOW
    return deny("only administrators and the secretariat create bodies")


@rule("governance.change_body")
def change_body(user, body=None) -> Decision:
    return add_body(user, body)


@rule("governance.view_history")
def view_history(user, body=None) -> Decision:
    return add_body(user, body)


# --- Meetings, decisions, commitments (issue 8) -----------------------------------------
# Governance records are not personal data, but each ministry sees the meetings and the
# commitments of the bodies it sits on (and its own commitments); the secretariat,
# administrators and the donor (co-chair of the COPIL) see all of them.

_OVERSEERS = (ADMIN, SECRETARIAT, "donor")


def sees_all_governance(user) -> bool:
    return bool(user.is_superuser or user.has_role(*_OVERSEERS))


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
    if user.is_superuser or user.has_role(ADMIN, SECRETARIAT):
        return ALLOW
    return deny("only the secretariat and administrators run meetings")


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
    if commitment is not None and commitment.structure_id == user.structure_id and user.has_role("focal_point"):
        return ALLOW
    return deny("only the committed structure's focal points and the secretariat update a commitment")


@rule("governance.view_commitment_stats")
def view_commitment_stats(user, obj=None) -> Decision:
    return ALLOW
