"""Access policy of the bodies (see mboa.core.policy): meetings, decisions, commitments,
broadcasts. Institutions and what they decide, not returnees."""

from django.utils.translation import gettext_lazy as _

from mboa.core.policy import ROLES, Data, Resource, Scope, register

ALL_SEE = {"admin": Scope.ALL, "secretariat": Scope.ALL, "donor": Scope.ALL}
MEMBERS = {role: Scope.MEMBER for role in ROLES if role not in ALL_SEE}
SECRETARIAT = {"admin": Scope.ALL, "secretariat": Scope.ALL}

register(
    "governance",
    Resource(
        "body", _("Bodies (COPIL, GTA, GTR…) and their members"), Data.NONE,
        grants={"view": dict.fromkeys(ROLES, Scope.ALL), "change": SECRETARIAT},
        pages=("governance:body_list", "governance:body_detail"),
        writes={"change": ("governance:body_create", "governance:body_edit")},
        api=("body",),
    ),
    Resource(
        "meeting", _("Meetings, agendas, minutes, decisions and briefing packs"), Data.NONE,
        grants={"view": {**MEMBERS, **ALL_SEE}, "change": SECRETARIAT},
        pages=("governance:meeting_list", "governance:meeting_detail", "governance:briefing", "governance:briefing_pdf",
               "governance:attachment_download", "governance:calendar", "governance:calendar_ics", "governance:calendar_feed"),
        writes={"change": ("governance:meeting_create", "governance:agenda_add", "governance:meeting_held",
                           "governance:meeting_minutes", "governance:meeting_approve", "governance:decision_create",
                           "governance:decision_follow_up")},
        api=("meeting", "decision"),
        note=_("A structure's staff see the meetings of the bodies their structure sits on or is invited to. "
               "Attachments are documents accepted by their content (PDF, office, PNG/JPEG) and are downloaded "
               "only by those who see the meeting."),
    ),
    Resource(
        "commitment", _("Commitments of the structures, their progress and on-time figures"), Data.NONE,
        grants={"view": {**MEMBERS, **ALL_SEE},
                "change": {**SECRETARIAT, "focal_point": Scope.STRUCTURE}},
        pages=("governance:commitment_list", "governance:commitment_stats", "governance:commitment_detail"),
        writes={"change": ("governance:commitment_progress", "governance:commitment_done", "governance:commitment_drop")},
        api=("commitment",),
    ),
    Resource(
        "broadcast", _("Broadcasts to a body's focal points"), Data.NONE,
        grants={"view": {**ALL_SEE, "focal_point": Scope.OWN}, "change": {**SECRETARIAT, "focal_point": Scope.OWN}},
        pages=("governance:broadcast_detail",), api=("broadcast",),
        writes={"change": ("governance:broadcast_create",)},
        note=_("The co-chairs' focal points broadcast to their body too."),
    ),
)
