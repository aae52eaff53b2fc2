from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "mboa.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from mboa.core.navigation import NavItem, register_nav

        from . import home, permissions, subscribers  # noqa: F401  (registers rules, panels, subscribers)

        subscribers.register()
        register_nav(NavItem("governance", _("Bodies"), "governance:body_list", "governance.view_bodies", 30))
