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
