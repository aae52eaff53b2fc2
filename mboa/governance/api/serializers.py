from rest_framework import serializers

from mboa.actors.models import Structure
from mboa.core.validators import plausible_date
from mboa.notifications.models import Channel

from ..models import (
    AgendaItem,
    Body,
    BodyMembership,
    Broadcast,
    Commitment,
    CommitmentUpdate,
    Decision,
    DecisionKind,
    Invitation,
    Meeting,
    MeetingKind,
    MemberRole,
)


class MembershipSerializer(serializers.ModelSerializer):
    structure = serializers.SlugRelatedField(slug_field="code", queryset=Structure.objects.all())
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.MEMBER)

    class Meta:
        model = BodyMembership
        fields = ["structure", "role", "start_date", "end_date"]
        read_only_fields = ["start_date", "end_date"]


class BodySerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()

    class Meta:
        model = Body
        fields = ["id", "code", "name_fr", "name_en", "kind", "mandate", "start_date", "end_date", "members",
                  "updated_at"]
        read_only_fields = ["id", "updated_at"]

    def get_members(self, body: Body) -> list[dict]:
        memberships = getattr(body, "current_memberships", None)
        if memberships is None:
            memberships = body.memberships.filter(end_date__isnull=True).select_related("structure")
        return [{"structure": m.structure.code, "role": m.role, "start_date": m.start_date} for m in memberships]


class BodyWriteSerializer(serializers.ModelSerializer):
    members = MembershipSerializer(many=True, required=False)

    class Meta:
        model = Body
        fields = ["code", "name_fr", "name_en", "kind", "mandate", "start_date", "end_date", "members"]

    def validate_members(self, members: list[dict]) -> list[dict]:
        codes = [m["structure"].code for m in members]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise serializers.ValidationError(f"Listed twice: {', '.join(duplicates)}")
        return members

    def validate(self, attrs: dict) -> dict:
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "The end date cannot be before the start date."})
        return attrs


# --- Meetings, decisions, commitments ---------------------------------------------------------


class CodeField(serializers.SlugRelatedField):
    """A structure or body by its code. A code with a NUL character is simply unknown
    (PostgreSQL refuses NUL in text: the lookup must not reach it)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)



class MeetingAgendaItemSerializer(serializers.ModelSerializer):
    presenter = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "order", "title", "presenter", "notes", "covered", "carried_from", "commitment",
                  "linked_label"]


class MeetingInvitationSerializer(serializers.ModelSerializer):
    structure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    focal_point = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Invitation
        fields = ["id", "structure", "focal_point", "person_name", "attendance"]


class MeetingSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "reference", "body", "kind", "title", "starts_at", "ends_at", "place", "online_url",
                  "status", "held_at", "minutes_approved_at"]


class MeetingDetailSerializer(MeetingSerializer):
    agenda = MeetingAgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    invitations = MeetingInvitationSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "minutes", "agenda", "invitations"]


class MeetingAgendaInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    presenter = CodeField(slug_field="code", queryset=Structure.objects.all(), required=False,
                                             allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class MeetingWriteSerializer(serializers.Serializer):
    body = CodeField(slug_field="code", queryset=Body.objects.all())
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField(validators=[plausible_date])
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None, validators=[plausible_date])
    place = serializers.CharField(required=False, allow_blank=True, default="")
    online_url = serializers.URLField(required=False, allow_blank=True, default="")
    agenda = MeetingAgendaInputSerializer(many=True, required=False, default=list)


class CommitmentSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="code", read_only=True)
    structure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    decision = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    days_late = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = ["id", "body", "decision", "meeting", "structure", "focal_point", "title", "details", "deadline",
                  "status", "progress", "done_on", "drop_reason", "days_late", "updated_at"]

    def get_days_late(self, commitment: Commitment) -> int:
        return commitment.days_late()


class CommitmentInputSerializer(serializers.Serializer):
    structure = CodeField(slug_field="code", queryset=Structure.objects.all())
    title = serializers.CharField(max_length=300)
    deadline = serializers.DateField()
    details = serializers.CharField(required=False, allow_blank=True, default="")


class CommitmentWriteSerializer(CommitmentInputSerializer):
    body = CodeField(slug_field="code", queryset=Body.objects.all())


class DecisionSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="code", read_only=True)
    addressed_to = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    commitments = CommitmentSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "reference", "body", "meeting", "kind", "number", "text", "addressed_to",
                  "follow_up_status", "follow_up_note", "commitments"]


class DecisionWriteSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.ChoiceField(choices=DecisionKind.choices, default=DecisionKind.DECISION)
    text = serializers.CharField()
    addressed_to = CodeField(slug_field="code", queryset=Structure.objects.all(), required=False,
                                                allow_null=True, default=None)
    commitments = CommitmentInputSerializer(many=True, required=False, default=list)


class CommitmentUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommitmentUpdate
        fields = ["id", "on", "note", "progress"]


class CommitmentProgressSerializer(serializers.Serializer):
    note = serializers.CharField()
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True, default=None)


class CommitmentDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CommitmentDropSerializer(serializers.Serializer):
    reason = serializers.CharField()


# --- Broadcasts -------------------------------------------------------------------------------


class BroadcastSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="code", read_only=True)
    deliveries = serializers.SerializerMethodField()

    class Meta:
        model = Broadcast
        fields = ["id", "body", "channel", "subject", "text", "created_at", "deliveries"]

    def get_deliveries(self, broadcast: Broadcast) -> list[dict]:
        return [{"recipient": m.recipient_name, "structure": getattr(m.recipient_focal_point, "structure_id", None),
                 "address": m.address, "status": m.status, "sent_at": m.sent_at}
                for m in broadcast.messages.all()]


class BroadcastWriteSerializer(serializers.Serializer):
    body = CodeField(slug_field="code", queryset=Body.objects.all())
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.EMAIL)
    subject = serializers.CharField(max_length=200)
    text = serializers.CharField()
