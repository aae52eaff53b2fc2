"""Access policy of the outbox (see mboa.core.policy)."""

from django.utils.translation import gettext_lazy as _

from mboa.core.policy import ROLES, Data, Resource, Scope, register

OWN = dict.fromkeys(ROLES, Scope.OWN)

register(
    "notifications",
    Resource(
        "outbox", _("The outbox (every message sent)"), Data.IDENTITY,
        grants={"view": {"admin": Scope.ALL}, "change": {"admin": Scope.ALL}},
        pages=("notifications:outbox",), writes={"change": ("notifications:message_retry",)},
        note=_("Administrators follow deliveries and send a failed message again."),
    ),
    Resource(
        "message", _("Messages addressed to oneself"), Data.IDENTITY,
        grants={"view": {**OWN, "admin": Scope.ALL}}, api=("message",),
    ),
    Resource(
        "preferences", _("How one is reached"), Data.IDENTITY,
        grants={"view": OWN, "change": OWN}, writes={"change": ("notifications:preferences",)},
    ),
)
