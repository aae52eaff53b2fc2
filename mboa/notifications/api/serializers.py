from rest_framework import serializers

from mboa.governance.api.serializers import CodeField
from mboa.governance.models import Body

from ..models import Broadcast, Channel, Message


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "channel", "recipient_name", "address", "subject", "status", "attempts", "next_attempt_at",
                  "sent_at", "last_error", "broadcast", "created_at"]


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
