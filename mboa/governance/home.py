from mboa.core.navigation import HomePanel, register_panel

from .selectors import bodies_of_structure, commitments_due_for_structure


def _my_bodies(user) -> dict | None:
    bodies = list(bodies_of_structure(structure_id=user.structure_id))
    if not bodies:
        return None
    return {"bodies": bodies}


register_panel(HomePanel("governance.my_bodies", "governance/partials/home_my_bodies.html", _my_bodies, order=90, section="context"))


def _my_commitments(user) -> dict | None:
    """Commitments the user's structure holds that are late or due within two weeks."""
    commitments = list(commitments_due_for_structure(structure_id=user.structure_id))
    if not commitments:
        return None
    return {"commitments": commitments, "late": sum(1 for c in commitments if c.status == "late")}


register_panel(HomePanel("governance.my_commitments", "governance/partials/home_my_commitments.html",
                         _my_commitments, order=20, section="waiting"))


def _register_nav() -> None:
    from django.utils.translation import gettext_lazy as _

    from mboa.core.navigation import NavItem, register_nav

    register_nav(NavItem("meetings", _("Meetings"), "governance:meeting_list", "governance.view_meetings", 31))
    register_nav(NavItem("commitments", _("Commitments"), "governance:commitment_list",
                         "governance.view_commitment", 32))


_register_nav()
