from mboa.core.navigation import HomePanel, register_panel

from .selectors import bodies_of_structure


def _my_bodies(user) -> dict | None:
    bodies = list(bodies_of_structure(structure_id=user.structure_id))
    if not bodies:
        return None
    return {"bodies": bodies}


register_panel(HomePanel("governance.my_bodies", "governance/partials/home_my_bodies.html", _my_bodies, order=90, section="context"))
