"""Who sees the outbox and who changes how they are reached.

Administrators see every message and the failures, and send a failed one again; everyone
else sees the messages addressed to them, and manages their own preferences. (Who sends a
body's broadcast is governance's rule: ``governance.broadcast``.)
"""

from mboa.core.permissions import ALLOW, Decision, deny, rule


@rule("notifications.view_outbox")
def view_outbox(user, obj=None) -> Decision:
    return ALLOW if user.is_admin else deny("only administrators see the outbox")


@rule("notifications.view_message")
def view_message(user, message=None) -> Decision:
    if user.is_admin or (message is not None and message.recipient_user_id == user.pk):
        return ALLOW
    return deny("this message is not addressed to you")


@rule("notifications.retry_message")
def retry_message(user, obj=None) -> Decision:
    return view_outbox(user, obj)


@rule("notifications.change_preferences")
def change_preferences(user, owner=None) -> Decision:
    """``owner``: the user whose preferences change (None: one's own page)."""
    if owner is None or owner.pk == user.pk:
        return ALLOW
    return deny("only you change how you are reached")
