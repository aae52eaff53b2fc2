from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "mboa.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from mboa.core.navigation import NavItem, register_nav

        from . import permissions  # noqa: F401  (registers the rules)

        register_nav(NavItem("notifications", _("Messages"), "notifications:outbox",
                             "notifications.view_outbox", 90))
