"""What governance tells people when its activities are recorded: the invitations to a
planned meeting, a new commitment to its holders, a recommendation to the structure it is
addressed to. Registered in ``apps.ready()``.

Each handler gets an activity id after commit, re-fetches what it needs and calls
``notify`` with a key derived from the activity (or the meeting), so a handler run twice
sends once.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from mboa.actors.models import FocalPoint
from mboa.core.activity import subscribe
from mboa.core.models import Activity
from mboa.notifications.services import notify

from .commitments import commitment_holders
from .models import Commitment, Decision, Meeting


def _target(activity_id: int, queryset) -> Any:
    activity = Activity.objects.filter(pk=activity_id).first()
    return None if activity is None else queryset.filter(pk=activity.target_id).first()


def commitment_created(activity_id: int) -> None:
    commitment = _target(activity_id, Commitment.objects.select_related("structure", "body"))
    if commitment is None:
        return
    notify(recipients=commitment_holders(commitment), idempotency_key=f"activity:{activity_id}",
           related=commitment,
           subject=_("New commitment of %(structure)s (%(body)s)") % {
               "structure": commitment.structure.code, "body": commitment.body.code},
           body=_("%(title)s — deadline %(deadline)s.") % {
               "title": commitment.title, "deadline": commitment.deadline.strftime("%d/%m/%Y")})


def recommendation_recorded(activity_id: int) -> None:
    decision = _target(activity_id, Decision.objects.select_related("addressed_to"))
    if decision is None or decision.addressed_to is None:
        return
    recipients = list(FocalPoint.objects.active().filter(structure=decision.addressed_to).select_related("user"))
    notify(recipients=recipients, idempotency_key=f"activity:{activity_id}", related=decision,
           subject=_("%(ref)s is addressed to %(structure)s") % {
               "ref": decision.reference, "structure": decision.addressed_to.code},
           body=decision.text)


def meeting_planned(activity_id: int) -> None:
    """Invite the focal points of the member structures (the invitations made with the meeting)."""
    meeting = _target(activity_id, Meeting.objects.select_related("body"))
    if meeting is None:
        return
    focal_points = [i.focal_point for i in meeting.invitations.select_related("focal_point__user", "focal_point__structure")
                    if i.focal_point_id]
    where = meeting.place or meeting.online_url
    notify(recipients=focal_points, idempotency_key=f"meeting:{meeting.pk}:invitation", related=meeting,
           subject=_("Invitation: %(ref)s on %(date)s") % {
               "ref": meeting.reference, "date": timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M")},
           body=_("%(kind)s of %(body)s, %(where)s. %(title)s") % {
               "kind": meeting.get_kind_display(), "body": meeting.body.code, "where": where, "title": meeting.title})


def register() -> None:
    subscribe("governance.meeting.planned", meeting_planned)
    subscribe("governance.commitment.created", commitment_created)
    subscribe("governance.decision.recorded", recommendation_recorded)
