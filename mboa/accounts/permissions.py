"""Who may manage users, and change an account's own settings."""

from mboa.core.permissions import ALLOW, Decision, deny, rule


@rule("accounts.manage_users")
def manage_users(user, obj=None) -> Decision:
    return ALLOW if user.is_admin else deny("only administrators manage accounts")


def _own_account(user, account) -> Decision:
    if account is not None and account.pk == user.pk:
        return ALLOW
    return deny("only the account's owner changes it")


@rule("accounts.change_profile")
def change_profile(user, account=None) -> Decision:
    """Name, email, city and language of one's own account."""
    return _own_account(user, account)


@rule("accounts.create_token")
def create_token(user, account=None) -> Decision:
    """A personal API token: only for oneself (it acts as the account)."""
    return _own_account(user, account)
