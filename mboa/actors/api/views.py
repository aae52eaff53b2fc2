"""Structures and focal points over the API: same selectors, rules and services as the pages."""

from django_filters import rest_framework as filters
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied

from mboa.core.api import RulePermission
from mboa.core.permissions import check

from .. import selectors, services
from ..models import FocalPoint, Structure
from .serializers import FocalPointSerializer, StructureSerializer


class StructureFilter(filters.FilterSet):
    class Meta:
        model = Structure
        fields = ["kind", "is_active"]


class StructureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = StructureSerializer
    permission_classes = [RulePermission]
    rules = {"create": "actors.add_structure", "update": "actors.change_structure"}
    lookup_field = "code"
    filterset_class = StructureFilter
    search_fields = ["code", "name_fr", "name_en"]
    ordering_fields = ["code", "name_fr"]
    queryset = Structure.objects.none()

    def get_queryset(self):
        return selectors.structure_list_for_user(user=self.request.user, include_inactive=True)

    def perform_create(self, serializer):
        serializer.instance = services.structure_create(by=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.structure_update(
            structure=serializer.instance, by=self.request.user, data=serializer.validated_data
        )


class FocalPointFilter(filters.FilterSet):
    structure = filters.CharFilter(field_name="structure__code", lookup_expr="iexact")

    class Meta:
        model = FocalPoint
        fields = ["structure"]


class FocalPointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = FocalPointSerializer
    permission_classes = [RulePermission]
    rules = {"update": "actors.change_focalpoint"}
    filterset_class = FocalPointFilter
    search_fields = ["family_name", "given_names", "function"]
    ordering_fields = ["family_name", "start_date"]
    queryset = FocalPoint.objects.none()

    def get_queryset(self):
        return selectors.focal_point_list_for_user(user=self.request.user)

    def perform_create(self, serializer):
        structure = serializer.validated_data.pop("structure")
        if not check(self.request.user, "actors.add_focalpoint", structure):
            raise PermissionDenied("You may add focal points only to your own structure.")
        serializer.instance = services.focal_point_create(
            structure=structure, by=self.request.user, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        structure = data.pop("structure", None)
        if structure is not None and structure.pk != serializer.instance.structure_id:
            raise PermissionDenied("A focal point cannot be moved to another structure; end it and add a new one.")
        serializer.instance = services.focal_point_update(
            focal_point=serializer.instance, by=self.request.user, data=data
        )
