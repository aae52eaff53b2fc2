from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Message


class MessageSerializer(serializers.ModelSerializer):
    broadcast = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "channel", "recipient_name", "address", "subject", "status", "attempts", "next_attempt_at",
                  "sent_at", "last_error", "broadcast", "created_at"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_broadcast(self, message: Message) -> int | None:
        """The body's broadcast the message is a copy of: its ``related`` record when that
        is a broadcast (the field API clients knew when broadcasts lived here)."""
        if not message.related_type_id or not message.related_id.isdigit():
            return None
        is_broadcast = ContentType.objects.get_for_id(message.related_type_id).model == "broadcast"
        return int(message.related_id) if is_broadcast else None
