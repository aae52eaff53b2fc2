from drf_spectacular.utils import extend_schema
from rest_framework import generics

from .. import services
from .serializers import MeSerializer


@extend_schema(summary="The signed-in user: structure, roles and language.")
class MeView(generics.RetrieveUpdateAPIView):
    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        serializer.instance = services.profile_update(user=self.request.user, by=self.request.user,
                                                      data=serializer.validated_data)
