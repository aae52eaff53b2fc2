"""Structures and focal points over the API: same selectors and services as the pages.

The services decide who may write (403) and what is refused (400); lists and objects come
from the selectors, in the user's scope (404 outside it).
"""

from django_filters import rest_framework as filters
from rest_framework import mixins, viewsets

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
    lookup_field = "code"
    filterset_class = StructureFilter
    search_fields = ["code", "name_fr", "name_en"]
    ordering_fields = ["code", "name_fr"]
    queryset = Structure.objects.none()

    def get_queryset(self):
        return selectors.structure_list_for_user(user=self.request.user, include_inactive=True)

    def get_object(self):
        return selectors.structure_get_for_user(user=self.request.user, code=self.kwargs["code"])

    def perform_create(self, serializer):
        serializer.instance = services.structure_create(by=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        # serializer.instance is the structure get_object fetched through the selector.
        serializer.instance = services.structure_update(structure=serializer.instance, by=self.request.user,
                                                        data=serializer.validated_data)


class FocalPointFilter(filters.FilterSet):
    structure = filters.CharFilter(field_name="structure__code", lookup_expr="iexact")

    class Meta:
        model = FocalPoint
        fields = ["structure"]


class FocalPointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = FocalPointSerializer
    filterset_class = FocalPointFilter
    search_fields = ["family_name", "given_names", "function"]
    ordering_fields = ["family_name", "start_date"]
    queryset = FocalPoint.objects.none()

    def get_queryset(self):
        return selectors.focal_point_list_for_user(user=self.request.user)

    def get_object(self):
        return selectors.focal_point_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        structure = selectors.structure_get_for_user(user=self.request.user, code=data.pop("structure").code)
        serializer.instance = services.focal_point_create(structure=structure, by=self.request.user, data=data)

    def perform_update(self, serializer):
        serializer.instance = services.focal_point_update(focal_point=serializer.instance, by=self.request.user,
                                                          data=serializer.validated_data)
