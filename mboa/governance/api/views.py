from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from mboa.core.api import RulePermission

from .. import selectors, services
from ..models import Body
from .serializers import BodySerializer, BodyWriteSerializer


class BodyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BodySerializer
    permission_classes = [RulePermission]
    rules = {"create": "governance.add_body", "update": "governance.change_body"}
    lookup_field = "code"
    filterset_fields = ["kind"]
    search_fields = ["code", "name_fr", "name_en"]
    queryset = Body.objects.none()

    def get_queryset(self):
        return selectors.body_list_for_user(user=self.request.user)

    @extend_schema(request=BodyWriteSerializer, responses={201: BodySerializer})
    def create(self, request, *args, **kwargs):
        serializer = BodyWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        members = data.pop("members", [])
        code = data.pop("code")
        body = services.body_create(by=request.user, code=code, data=data, members=members)
        body = selectors.body_get_for_user(user=request.user, code=body.code)
        return Response(BodySerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BodyWriteSerializer, responses={200: BodySerializer})
    def partial_update(self, request, *args, **kwargs):
        body = self.get_object()
        serializer = BodyWriteSerializer(body, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("code", None)
        members = data.pop("members", None)
        services.body_update(body=body, by=request.user, data=data, members=members)
        body = selectors.body_get_for_user(user=request.user, code=body.code)
        return Response(BodySerializer(body).data)
