from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mboa.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from mboa.core.navigation import NavItem, register_nav

        from . import permissions  # noqa: F401
        from .login_limits import on_login_failed

        # Counting failed sign-ins (login_limits): every sign-in, page or API, sends it.
        user_login_failed.connect(on_login_failed, dispatch_uid="mboa.accounts.login_limits")
        register_nav(NavItem("accounts", _("Accounts"), "accounts:user_list", "accounts.manage_users", 90))
