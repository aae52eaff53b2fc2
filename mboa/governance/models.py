"""Bodies (steering committee, working groups), their member structures, meetings,
decisions, commitments, and the messages a body's focal points receive (broadcasts)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mboa.core.models import BaseModel
from mboa.notifications.models import Channel, MessageStatus


class BodyKind(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    WORKING_GROUP = "working_group", _("Working group")


class MemberRole(models.TextChoices):
    CO_CHAIR = "co_chair", _("Co-chair")
    SECRETARIAT = "secretariat", _("Secretariat")
    MEMBER = "member", _("Member")


class Body(BaseModel):
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("e.g. COPIL, GTA, GTR."))
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    mandate = models.TextField(_("mandate"), blank=True)
    start_date = models.DateField(_("active from"), null=True, blank=True)
    end_date = models.DateField(_("active until"), null=True, blank=True)
    structures = models.ManyToManyField(
        "actors.Structure", through="BodyMembership", related_name="bodies", verbose_name=_("member structures")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="body_period_valid",
            )
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("governance:body_detail", args=[self.code])

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date >= today
        )


class BodyMembership(BaseModel):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("body"))
    structure = models.ForeignKey(
        "actors.Structure", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("structure")
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    start_date = models.DateField(_("member since"), null=True, blank=True)
    end_date = models.DateField(_("member until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["body__code", "role", "structure__code"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "structure"], condition=Q(end_date__isnull=True), name="membership_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.code} · {self.structure.code} ({self.get_role_display()})"


# --- Meetings, decisions and commitments ---------------------------------------------


class MeetingKind(models.TextChoices):
    FORMAL = "formal", _("Formal session")
    INFORMAL = "informal", _("Informal meeting with focal points")
    WORK_SESSION = "work_session", _("Work session")
    WORKSHOP = "workshop", _("Workshop")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MINUTES_APPROVED = "minutes_approved", _("Minutes approved")


class Meeting(BaseModel):
    """A meeting of a body. ``number`` counts the body's meetings in the year (COPIL-2018-02)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body"))
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveSmallIntegerField(_("number in the year"), editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.FORMAL)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    held_at = models.DateTimeField(_("marked held at"), null=True, blank=True)
    minutes_approved_at = models.DateTimeField(_("minutes approved at"), null=True, blank=True)
    briefing_pdf = models.FileField(_("briefing pack (PDF)"), upload_to="governance/briefings/", blank=True)
    briefing_generated_at = models.DateTimeField(_("briefing pack generated at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="meeting_number_unique"),
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                                   name="meeting_period_valid"),
        ]
        indexes = [models.Index(fields=["body", "status", "starts_at"], name="meeting_body_status_idx")]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"{self.body.code}-{self.year}-{self.number:02d}"


class AgendaItem(BaseModel):
    """One ordered point of a meeting's agenda. Not covered → carried to the next meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items",
                                verbose_name=_("meeting"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=300)
    presenter = models.ForeignKey("actors.Structure", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("presented by"))
    notes = models.TextField(_("notes"), blank=True)
    covered = models.BooleanField(_("covered"), null=True, blank=True,
                                  help_text=_("Set when the meeting is held; an item not covered is carried over."))
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="carried_to", verbose_name=_("carried from"))
    commitment = models.ForeignKey("Commitment", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="agenda_items", verbose_name=_("commitment"))
    # Agreements, validation sessions and reports live in later apps: a generic link for now.
    linked_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    linked_id = models.CharField(max_length=64, blank=True)
    linked = GenericForeignKey("linked_type", "linked_id")
    linked_label = models.CharField(_("linked record"), max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "carried_from"], condition=Q(carried_from__isnull=False),
                                    name="agenda_item_carried_once"),
            models.UniqueConstraint(fields=["meeting", "commitment"], condition=Q(commitment__isnull=False),
                                    name="agenda_item_commitment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Attendance(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Invitation(BaseModel):
    """A structure (and its focal point) invited to a meeting, and whether they came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations",
                                verbose_name=_("meeting"))
    structure = models.ForeignKey("actors.Structure", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("structure"))
    focal_point = models.ForeignKey("actors.FocalPoint", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("focal point"))
    person_name = models.CharField(_("person"), max_length=200, blank=True,
                                   help_text=_("Who attended, when not the focal point."))
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices,
                                  default=Attendance.INVITED)

    class Meta:
        ordering = ["meeting", "structure__code", "id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "structure", "focal_point"], name="invitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.structure.code}"


class MeetingAttachment(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments",
                                verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="governance/minutes/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class DecisionKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    RECOMMENDATION = "recommendation", _("Recommendation")


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", _("To follow up")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    ABANDONED = "abandoned", _("Abandoned")


class Decision(BaseModel):
    """A decision or recommendation, numbered per meeting: COPIL-2018-02-D3, COPIL-2017-01-R1."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("body"))
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions",
                                verbose_name=_("meeting"))
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices, default=DecisionKind.DECISION)
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    text = models.TextField(_("text"))
    addressed_to = models.ForeignKey("actors.Structure", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("addressed to"))
    follow_up_status = models.CharField(_("follow-up"), max_length=20, choices=FollowUpStatus.choices,
                                        default=FollowUpStatus.PENDING)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["meeting__starts_at", "kind", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind", "number"], name="decision_number_unique"),
        ]

    def __str__(self) -> str:
        return self.reference


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    LATE = "late", _("Late")
    DROPPED = "dropped", _("Dropped")


ACTIVE_COMMITMENT_STATUSES = (CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS, CommitmentStatus.LATE)


class Commitment(BaseModel):
    """What a structure committed to do, by when; followed up and escalated when late."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("body"))
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="commitments", verbose_name=_("decision"))
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="commitments", verbose_name=_("made at"))
    structure = models.ForeignKey("actors.Structure", on_delete=models.PROTECT, related_name="commitments",
                                  verbose_name=_("committed structure"))
    focal_point = models.ForeignKey("actors.FocalPoint", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="commitments", verbose_name=_("focal point"))
    title = models.CharField(_("what"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=CommitmentStatus.choices,
                              default=CommitmentStatus.OPEN)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="commitment_progress_max"),
            models.CheckConstraint(condition=~Q(status="done") | Q(done_on__isnull=False),
                                   name="commitment_done_has_date"),
            models.CheckConstraint(condition=~Q(status="dropped") | ~Q(drop_reason=""),
                                   name="commitment_dropped_has_reason"),
        ]
        indexes = [models.Index(fields=["structure", "status", "deadline"], name="commitment_structure_idx")]

    def __str__(self) -> str:
        return f"{self.structure.code}: {self.title}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_COMMITMENT_STATUSES

    def days_late(self, today=None) -> int:
        today = today or timezone.localdate()
        end = self.done_on if self.status == CommitmentStatus.DONE else today
        return max(0, (end - self.deadline).days)


class CommitmentUpdate(BaseModel):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates",
                                   verbose_name=_("commitment"))
    on = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("note"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.on} {self.commitment_id}"


class EscalationStep(models.TextChoices):
    REMINDER = "reminder", _("Reminder before the deadline")
    LATE_REMINDER = "late_reminder", _("Second reminder (late)")
    AGENDA = "agenda", _("Put on the next meeting's agenda")
    CO_CHAIRS = "co_chairs", _("Flagged to the co-chairs")


ESCALATION_ORDER = [EscalationStep.REMINDER, EscalationStep.LATE_REMINDER, EscalationStep.AGENDA,
                    EscalationStep.CO_CHAIRS]


class CommitmentEscalation(models.Model):
    """One escalation step taken on a commitment: recorded once, never repeated."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="escalations",
                                   verbose_name=_("commitment"))
    step = models.CharField(_("step"), max_length=20, choices=EscalationStep.choices)
    occurred_at = models.DateTimeField(_("at"), default=timezone.now)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["commitment", "occurred_at"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        constraints = [models.UniqueConstraint(fields=["commitment", "step"], name="escalation_step_once")]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.step}"


class Broadcast(BaseModel):
    """A message to all focal points of a body's member structures (replaces the message group).

    Each person's copy is a message of the outbox related to the broadcast (``messages``),
    with its own delivery status."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="broadcasts", verbose_name=_("body"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("message"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("sent by"))
    messages = GenericRelation("notifications.Message", content_type_field="related_type",
                               object_id_field="related_id")

    class Meta:
        # The model came from notifications with its rows: it keeps the table it had there.
        db_table = "notifications_broadcast"
        ordering = ["-created_at"]
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")

    def __str__(self) -> str:
        return f"{self.body.code}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("governance:broadcast_detail", args=[self.pk])

    @property
    def recipient_count(self) -> int:
        return len(self.messages.all())

    @property
    def sent_count(self) -> int:
        return sum(1 for message in self.messages.all() if message.status == MessageStatus.SENT)
