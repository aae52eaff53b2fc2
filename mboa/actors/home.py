from mboa.core.navigation import HomePanel, register_panel


def _my_structure(user) -> dict | None:
    if user.structure_id is None:
        return None
    structure = user.structure
    return {
        "structure": structure,
        "focal_points": list(structure.focal_points.active()),
    }


register_panel(HomePanel("actors.my_structure", "actors/partials/home_my_structure.html", _my_structure, order=80, section="context"))
