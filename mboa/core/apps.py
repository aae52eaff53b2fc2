from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mboa.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .navigation import NavItem, register_nav
        from .rules import view_access_policy  # noqa: F401  (registers the rule)

        register_nav(NavItem("access_policy", _("Access policy"), "core:access_policy", "core.view_access_policy", 95))
