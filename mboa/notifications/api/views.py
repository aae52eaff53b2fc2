from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from mboa.core.api import RulePermission

from .. import selectors, services
from ..models import Broadcast, Message
from .serializers import BroadcastSerializer, BroadcastWriteSerializer, MessageSerializer


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The outbox for administrators; other users see the messages sent to them."""

    serializer_class = MessageSerializer
    permission_classes = [RulePermission]
    filterset_fields = ["status", "channel"]
    queryset = Message.objects.none()

    def get_queryset(self):
        return selectors.message_list_for_user(user=self.request.user)


class BroadcastViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BroadcastSerializer
    permission_classes = [RulePermission]
    # The body-level rule (secretariat, co-chairs) is checked by broadcast_send once the body is known.
    rules = {"create": "notifications.view_broadcast"}
    queryset = Broadcast.objects.none()

    def get_queryset(self):
        return selectors.broadcast_list_for_user(user=self.request.user).prefetch_related(
            Prefetch("messages", queryset=Message.objects.select_related("recipient_focal_point")))

    @extend_schema(request=BroadcastWriteSerializer, responses={201: BroadcastSerializer})
    def create(self, request, *args, **kwargs):
        serializer = BroadcastWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        from mboa.governance.selectors import body_get_for_user

        body = body_get_for_user(user=request.user, code=data.pop("body").code)
        broadcast = services.broadcast_send(body=body, by=request.user, **data)
        return Response(BroadcastSerializer(broadcast).data, status=status.HTTP_201_CREATED)
