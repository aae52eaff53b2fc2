"""Who may see and change structures and focal points.

- Everyone signed in reads the directory (it lists institutions and their official
  contacts, not returnees).
- Administrators add and change any structure and focal point.
- A structure's own focal points and secretariat keep their structure's page and focal
  points up to date, and no one else's: MINSANTE cannot edit MINAS's focal points.
- Donors and statisticians read only.
"""

from mboa.accounts.roles import ADMIN, FOCAL_POINT, SECRETARIAT
from mboa.core.permissions import ALLOW, Decision, deny, rule


def _is_admin(user) -> bool:
    return user.is_superuser or user.has_role(ADMIN)


@rule("actors.view_directory")
def view_directory(user, obj=None) -> Decision:
    return ALLOW


@rule("actors.add_structure")
def add_structure(user, obj=None) -> Decision:
    return ALLOW if _is_admin(user) else deny("only administrators add structures")


def _own_structure(user, structure) -> Decision:
    if _is_admin(user):
        return ALLOW
    if structure is not None and user.structure_id == structure.pk and user.has_role(FOCAL_POINT, SECRETARIAT):
        return ALLOW
    return deny("only the structure's own focal points and administrators change it")


@rule("actors.change_structure")
def change_structure(user, structure=None) -> Decision:
    return _own_structure(user, structure)


@rule("actors.add_focalpoint")
def add_focalpoint(user, structure=None) -> Decision:
    """``structure``: the structure the focal point will belong to (None: any, admins only)."""
    return _own_structure(user, structure)


@rule("actors.change_focalpoint")
def change_focalpoint(user, focal_point=None) -> Decision:
    return _own_structure(user, getattr(focal_point, "structure", None))


@rule("actors.view_history")
def view_history(user, obj=None) -> Decision:
    if _is_admin(user) or user.has_role(SECRETARIAT):
        return ALLOW
    structure = getattr(obj, "structure", obj)
    return _own_structure(user, structure)
