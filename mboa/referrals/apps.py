from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "mboa.referrals"
    label = "referrals"
    verbose_name = _("Referrals and agreements")

    def ready(self) -> None:
        from mboa.core.navigation import NavItem, register_nav

        from . import briefing_figures, home, permissions, sensitive  # noqa: F401  (registers rules, panels, sensitive fields, briefing figures)

        register_nav(NavItem("referrals", _("Referrals"), "referrals:board", "referrals.view_board", 45))
        register_nav(NavItem("referrals_inbox", _("Referral inbox"), "referrals:inbox", "referrals.view_inbox", 46))
        register_nav(NavItem("agreements", _("Agreements"), "referrals:agreement_list", "referrals.view_agreements", 47))
