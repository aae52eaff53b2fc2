"""Who may manage users, and change an account's own settings."""

from django.utils.translation import gettext as _

from mboa.core.permissions import ALLOW, Decision, deny, rule


@rule("accounts.manage_users")
def manage_users(user, obj=None) -> Decision:
    return ALLOW if user.is_admin else deny(_("Only administrators manage accounts."))


@rule("accounts.change_access")
def change_access(user, account=None) -> Decision:
    """Structure and roles of an account: administrators, never their own (a second
    administrator approves a request for that, ``accounts.decide_access_request``)."""
    if not user.is_admin:
        return deny(_("Only administrators manage accounts."))
    if account is not None and account.pk == user.pk:
        return deny(_("Your own structure or roles are changed by another administrator: send a request "
                      "for approval instead."))
    return ALLOW


@rule("accounts.request_access_change")
def request_access_change(user, account=None) -> Decision:
    """An administrator asks for a change of their own structure or roles."""
    if not user.is_admin:
        return deny(_("Only administrators manage accounts."))
    if account is not None and account.pk != user.pk:
        return deny(_("A request is only for one's own account; change other accounts directly."))
    return ALLOW


@rule("accounts.decide_access_request")
def decide_access_request(user, request=None) -> Decision:
    """Another administrator than the one the request is for, or who made it."""
    if not user.is_admin:
        return deny(_("Only administrators manage accounts."))
    if request is not None and user.pk in (request.user_id, request.requested_by_id):
        return deny(_("A second administrator decides on a change of one's own structure or roles."))
    return ALLOW


def _own_account(user, account) -> Decision:
    if account is not None and account.pk == user.pk:
        return ALLOW
    return deny(_("Only the account's owner changes it."))


@rule("accounts.change_profile")
def change_profile(user, account=None) -> Decision:
    """Email, city and language of one's own account (names: administrators, ``accounts.change_names``)."""
    return _own_account(user, account)


@rule("accounts.change_names")
def change_names(user, account=None) -> Decision:
    """The names an account shows (and history keeps as they were): administrators only."""
    return ALLOW if user.is_admin else deny(_("Names are changed by an administrator."))


@rule("accounts.create_token")
def create_token(user, account=None) -> Decision:
    """A personal API token: only for oneself (it acts as the account)."""
    return _own_account(user, account)


@rule("accounts.revoke_token")
def revoke_token(user, token=None) -> Decision:
    """One's own tokens (a deactivated account's tokens stop working with it)."""
    if token is not None and token.user_id == user.pk:
        return ALLOW
    return deny(_("Only the token's owner revokes it."))
