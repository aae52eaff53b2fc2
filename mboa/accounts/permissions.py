"""Who may manage users."""

from mboa.core.permissions import ALLOW, Decision, deny, rule

from .roles import ADMIN


@rule("accounts.manage_users")
def manage_users(user, obj=None) -> Decision:
    if user.is_superuser or user.has_role(ADMIN):
        return ALLOW
    return deny("only administrators manage accounts")
