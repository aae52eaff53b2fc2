from rest_framework import mixins, viewsets

from .. import selectors
from ..models import Message
from .serializers import MessageSerializer


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The outbox for administrators; other users see the messages sent to them."""

    serializer_class = MessageSerializer
    filterset_fields = ["status", "channel"]
    queryset = Message.objects.none()

    def get_queryset(self):
        return selectors.message_list_for_user(user=self.request.user)
