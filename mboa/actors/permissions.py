"""Who may see and change structures and focal points.

- Everyone signed in reads the directory (it lists institutions and their official
  contacts, not returnees).
- Administrators add and change any structure and focal point.
- A structure's own focal points and secretariat keep their structure's page and focal
  points up to date, and no one else's: MINSANTE cannot edit MINAS's focal points.
- A structure's identity (code, kind, place in the hierarchy, active or not) is changed
  by administrators only: the structure's own staff keep its description.
- Donors and statisticians read only.
"""

from mboa.accounts.roles import FOCAL_POINT, SECRETARIAT
from mboa.core.permissions import ALLOW, Decision, deny, rule


@rule("actors.view_directory")
def view_directory(user, obj=None) -> Decision:
    return ALLOW


@rule("actors.add_structure")
def add_structure(user, obj=None) -> Decision:
    return ALLOW if user.is_admin else deny("only administrators add structures")


def _own_structure(user, structure) -> Decision:
    if user.is_admin:
        return ALLOW
    if structure is not None and user.structure_id == structure.pk and user.has_role(FOCAL_POINT, SECRETARIAT):
        return ALLOW
    return deny("only the structure's own focal points and administrators change it")


@rule("actors.change_structure")
def change_structure(user, structure=None) -> Decision:
    return _own_structure(user, structure)


@rule("actors.change_structure_identity")
def change_structure_identity(user, structure=None) -> Decision:
    """Code, kind, parent structure, active: what other records and reports rely on."""
    return ALLOW if user.is_admin else deny("only administrators change a structure's code, kind, parent or status")


@rule("actors.add_focalpoint")
def add_focalpoint(user, structure=None) -> Decision:
    """``structure``: the structure the focal point will belong to (None: any, admins only)."""
    return _own_structure(user, structure)


@rule("actors.change_focalpoint")
def change_focalpoint(user, focal_point=None) -> Decision:
    return _own_structure(user, getattr(focal_point, "structure", None))


@rule("actors.view_history")
def view_history(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(SECRETARIAT):
        return ALLOW
    structure = getattr(obj, "structure", obj)
    return _own_structure(user, structure)
