"""Who sees the outbox and who sends broadcasts.

Administrators see every message and the failures; everyone manages their own
preferences. A body's broadcast is sent by administrators, the secretariat, or a user of
focal point of one of the body's co-chair structures (MINREX co-administers the GTA message
group). Donor and statistician accounts read only, even in a co-chair structure (the DUE).
"""

from mboa.accounts.roles import ADMIN, FOCAL_POINT, SECRETARIAT
from mboa.core.permissions import ALLOW, Decision, deny, rule


@rule("notifications.view_outbox")
def view_outbox(user, obj=None) -> Decision:
    if user.is_superuser or user.has_role(ADMIN):
        return ALLOW
    return deny("only administrators see the outbox")


@rule("notifications.retry_message")
def retry_message(user, obj=None) -> Decision:
    return view_outbox(user, obj)


@rule("notifications.change_preferences")
def change_preferences(user, obj=None) -> Decision:
    return ALLOW


@rule("notifications.broadcast")
def broadcast(user, body=None) -> Decision:
    if user.is_superuser or user.has_role(ADMIN, SECRETARIAT):
        return ALLOW
    if body is not None and user.structure_id and user.has_role(FOCAL_POINT) and body.memberships.filter(
        structure_id=user.structure_id, role="co_chair", end_date__isnull=True
    ).exists():
        return ALLOW
    return deny("only the secretariat and the co-chairs broadcast to a body")


@rule("notifications.view_broadcast")
def view_broadcast(user, broadcast=None) -> Decision:
    if broadcast is None:
        return ALLOW
    if broadcast.sent_by_id == user.pk:
        return ALLOW
    return broadcast_rule_for_body(user, broadcast.body)


def broadcast_rule_for_body(user, body) -> Decision:
    return broadcast(user, body)
