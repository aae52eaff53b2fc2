from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "mboa.registry"
    label = "registry"
    verbose_name = _("Registry of returnees")

    def ready(self) -> None:
        from mboa.core.navigation import NavItem, register_nav

        from . import home, permissions, sensitive  # noqa: F401  (registers rules, panels, sensitive fields)

        register_nav(NavItem("registry", _("People"), "registry:person_list", "registry.view_people", 40))
        register_nav(NavItem("registry_review", _("Duplicates"), "registry:review_list",
                             "registry.review_duplicates", 41))
