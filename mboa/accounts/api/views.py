from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .. import services
from ..login_limits import LIMITED_ATTRIBUTE
from .serializers import MeSerializer, TokenRequestSerializer, TokenSerializer


@extend_schema(summary="The signed-in user: structure, roles and language.")
class MeView(generics.RetrieveUpdateAPIView):
    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        serializer.instance = services.profile_update(user=self.request.user, by=self.request.user,
                                                      data=serializer.validated_data)


class TokenView(APIView):
    """A new personal token for a username and password, returned once (only its digest is
    kept). At most settings' "token" rate per address; the sign-in limits of the login page
    apply (``login_limits``, axes)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(summary="A personal API token for a username and password (shown once).",
                   request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        http_request = request._request  # axes and the limits mark the Django request
        user = authenticate(http_request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        limited = getattr(http_request, LIMITED_ATTRIBUTE, None)
        if limited:
            return Response({"detail": limited}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None:
            raise serializers.ValidationError({"detail": _("Unable to sign in with these credentials.")})
        token, key = services.api_token_create(user=user, by=user, name=_("API sign-in"))
        return Response(TokenSerializer({"token": key, "expires_at": token.expires_at}).data)
