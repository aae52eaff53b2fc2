from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "mboa.actors"
    label = "actors"
    verbose_name = _("Structures and focal points")

    def ready(self) -> None:
        from mboa.core.navigation import NavItem, register_nav

        from . import home, permissions  # noqa: F401  (registers rules and panels)

        register_nav(NavItem("actors", _("Structures"), "actors:structure_list", "actors.view_directory", 20))
