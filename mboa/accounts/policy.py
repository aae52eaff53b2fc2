"""Access policy of accounts (see mboa.core.policy)."""

from django.utils.translation import gettext_lazy as _

from mboa.core.policy import ROLES, Data, Exempt, Resource, Scope, register

register(
    "accounts",
    Resource(
        "account", _("One's own account (profile, language, API tokens)"), Data.IDENTITY,
        grants={"view": dict.fromkeys(ROLES, Scope.OWN), "change": dict.fromkeys(ROLES, Scope.OWN)},
        pages=("accounts:profile",), api=("me",), writes={"change": ("accounts:token_revoke",)},
        note=_("Names, structure and roles are changed by administrators; one's own structure or roles by a "
               "second administrator. API tokens are shown once and stored as digests only."),
    ),
    Resource(
        "user_account", _("Accounts of Mboa's users (names, structure, roles)"), Data.IDENTITY,
        grants={"view": {"admin": Scope.ALL}, "change": {"admin": Scope.ALL},
                "decide": {"admin": Scope.ALL}},
        pages=("accounts:user_list", "accounts:user_detail"),
        writes={"change": ("accounts:user_names", "accounts:user_access"),
                "decide": ("accounts:access_request_decide",)},
        note=_("Staff accounts, not returnees. An administrator's change of their own structure or roles is a "
               "request that another administrator decides."),
    ),
    Resource(
        "home", _("Home page: what waits for each user, where they stand"), Data.IDENTITY,
        grants={"view": dict.fromkeys(ROLES, Scope.OWN)}, pages=("core:home",),
        note=_("Each panel comes from the app that owns its data, built with that app's selectors and rules."),
    ),
    exempt=[Exempt(("accounts:login", "accounts:logout", "accounts:set_language", "api:token", "core:healthz",
                    "api-schema", "api-docs", "api-redoc", "api:api-root"),
                   _("signing in and out, the language switch, the health check and the API's description"))],
)
