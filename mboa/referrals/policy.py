"""Access policy of referrals and agreements (see mboa.core.policy)."""

from django.utils.translation import gettext_lazy as _

from mboa.core.policy import ROLES, Data, Resource, Scope, register

SENDERS = {"admin": Scope.ALL, "case_manager": Scope.STRUCTURE, "insertion_counsellor": Scope.ASSIGNED,
           "psychosocial_counsellor": Scope.ASSIGNED, "supervisor": Scope.SUPERVISED}

register(
    "referrals",
    Resource(
        "referral", _("Referrals and the data that travelled with them"), Data.IDENTITY,
        grants={"view": {**SENDERS, "focal_point": Scope.ADDRESSED, "secretariat": Scope.AGGREGATE},
                "change": {**SENDERS, "focal_point": Scope.ADDRESSED}},
        pages=("referrals:board", "referrals:case_tab", "referrals:detail"),
        api=("referral",),
        writes={"change": ("referrals:send", "referrals:act")},
        note=_("The receiving structure sees only the parts of the case that were sent, with the returnee's consent."),
    ),
    Resource(
        "referral_inbox", _("The inbox of referrals addressed to a structure"), Data.IDENTITY,
        grants={"view": {"focal_point": Scope.ADDRESSED}}, pages=("referrals:inbox",),
    ),
    Resource(
        "referral_health", _("Health details of a referral"), Data.HEALTH,
        grants={"view": {"health_staff": Scope.ADDRESSED}},
        note=_("Health text goes to health structures only, whoever wrote or forwarded it: the sending side sees "
               "that health details were sent, not what they say."),
    ),
    Resource(
        "agreement", _("Agreements and memoranda with the structures"), Data.NONE,
        grants={"view": {"admin": Scope.ALL, "secretariat": Scope.ALL, "case_manager": Scope.ALL, "donor": Scope.ALL,
                         "focal_point": Scope.STRUCTURE},
                "change": {"admin": Scope.ALL, "secretariat": Scope.ALL, "focal_point": Scope.STRUCTURE}},
        pages=("referrals:agreement_list", "referrals:agreement_detail", "referrals:agreement_document_download"),
        api=("agreement",),
        writes={"change": ("referrals:agreement_create", "referrals:agreement_act", "referrals:agreement_document",
                           "referrals:escalation", "referrals:escalation_to_agenda")},
        note=_("Agreement documents are accepted by their content (PDF, office, PNG/JPEG) and downloaded only by "
               "those who see the agreement."),
    ),
    Resource(
        "referral_delays", _("Response times per structure and service"), Data.NONE,
        grants={"view": dict.fromkeys(ROLES, Scope.AGGREGATE)},
        pages=("referrals:delays",), api=("referral-delays",),
        writes={"change": ("referrals:overdue_to_agenda",)},
    ),
    Resource(
        "service_catalogue", _("Services offered by the structures"), Data.NONE,
        grants={"view": dict.fromkeys(ROLES, Scope.ALL), "change": {"admin": Scope.ALL}},
        pages=("referrals:catalogue",), api=("service", "servicepoint"),
    ),
)
