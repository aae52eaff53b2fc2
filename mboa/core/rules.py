"""Core's own named rules."""

from __future__ import annotations

from .permissions import ALLOW, Decision, deny, rule


@rule("core.view_access_policy")
def view_access_policy(user, obj=None) -> Decision:
    """The access policy (who may read and change what) is for administrators, who answer for
    the accounts and roles they give."""
    return ALLOW if getattr(user, "is_admin", False) else deny("the access policy is for administrators")
