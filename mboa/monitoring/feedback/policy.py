"""Access policy of feedback, satisfaction, community projects and awareness activities
(see mboa.core.policy)."""

from django.utils.translation import gettext_lazy as _

from mboa.core.policy import ROLES, Data, Exempt, Resource, Scope, register, register_tag

from .permissions import is_officer


def _officer_tag(user):
    return ("feedback_officer",) if is_officer(user) else ()


register_tag(_officer_tag)

CASEWORK = {"case_manager": Scope.ALL, "insertion_counsellor": Scope.ALL, "psychosocial_counsellor": Scope.ALL}

register(
    "monitoring",
    Resource(
        "feedback", _("Feedback and complaints of returnees"), Data.IDENTITY,
        grants={"view": {"admin": Scope.ALL, "case_manager": Scope.ALL, "feedback_officer": Scope.ASSIGNED},
                "change": {"admin": Scope.ALL, "case_manager": Scope.ALL, "secretariat": Scope.OWN,
                           "feedback_officer": Scope.ASSIGNED}},
        pages=("monitoring:feedback_list", "monitoring:feedback_detail", "monitoring:satisfaction_list"),
        api=("feedback", "satisfaction"),
        writes={"change": ("monitoring:feedback_create", "monitoring:feedback_respond", "monitoring:feedback_close",
                           "monitoring:satisfaction_record")},
        note=_("IOM staff of the feedback structures (setting MBOA_MONITORING[\"FEEDBACK_STRUCTURES\"]) log and "
               "handle feedback, except complaints against staff (next line). The secretariat logs feedback it "
               "receives but does not read the queue."),
    ),
    Resource(
        "staff_complaint", _("Complaints against staff"), Data.IDENTITY,
        grants={"view": {"feedback_officer": Scope.ALL}, "change": {"feedback_officer": Scope.ALL}},
        pages=("monitoring:feedback_staff_list",),
        note=_("Only the designated officers named in the settings (MBOA_MONITORING[\"STAFF_COMPLAINT_OFFICERS\"]) "
               "read and answer them: not the administrators, not the person who logged them."),
    ),
    Resource(
        "community_project", _("Community projects and their counted beneficiaries"), Data.NONE,
        grants={"view": {"admin": Scope.ALL, **CASEWORK, "secretariat": Scope.ALL, "focal_point": Scope.ALL,
                         "donor": Scope.ALL, "statistician": Scope.AGGREGATE},
                "change": {"admin": Scope.ALL, "case_manager": Scope.ALL, "insertion_counsellor": Scope.ALL,
                           "secretariat": Scope.ALL}},
        pages=("monitoring:community_list", "monitoring:community_detail"),
        api=("community-project",),
        writes={"change": ("monitoring:community_create", "monitoring:community_beneficiaries")},
        note=_("Non-migrant beneficiaries are numbers by sex and age group, never people of the registry."),
    ),
    Resource(
        "awareness_activity", _("Awareness activities and the returnees who spoke"), Data.IDENTITY,
        grants={"view": {"admin": Scope.ALL, **CASEWORK, "secretariat": Scope.ALL},
                "change": {"admin": Scope.ALL, **CASEWORK, "secretariat": Scope.ALL}},
        pages=("monitoring:awareness_list", "monitoring:awareness_detail"),
        api=("awareness-activity",),
        writes={"change": ("monitoring:awareness_create",)},
    ),
    Resource(
        "feedback_figures", _("Satisfaction, complaint handling and community figures"), Data.NONE,
        grants={"view": dict.fromkeys(ROLES, Scope.AGGREGATE)},
        api=("feedback-figures",),
    ),
    exempt=[Exempt(("monitoring:sms_webhook",),
                   _("The SMS gateway's inbound webhook: no user, every call signed (HMAC) and dated; it shows "
                     "nothing."))],
)
