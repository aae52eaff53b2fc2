"""API of the projects app: the same selectors and services as the pages.

Reads are checked by ``RulePermission`` (``rules``) and scoped by the selectors. Writes
are not ruled here: as on the pages, the object is fetched through a scoped selector (404)
and the service decides (403, or 400 with its message), so that the page and the API give
each user the same answer.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mboa.core.api import RulePermission

from .. import selectors, services
from ..models import Dossier, Purchase, Review, ValidationSession
from ..synthesis import session_synthesis
from .serializers import (
    AgendaItemSerializer,
    BatchSerializer,
    DetermineSerializer,
    DossierDetailSerializer,
    DossierSerializer,
    PurchaseActionSerializer,
    PurchaseSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
    SessionSerializer,
)


class DossierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Project dossiers the user may see; ``?status=&region=&sector=&filiere=&kind=&town=``."""

    rules = {"list": "projects.view_dossiers", "retrieve": "projects.view_dossiers"}
    permission_classes = [RulePermission]
    lookup_field = "reference"
    queryset = Dossier.objects.none()
    filter_backends: list = []

    def get_queryset(self):
        filters = {k: self.request.query_params.get(k) for k in ("status", "region", "sector", "filiere", "kind",
                                                                  "town", "q")}
        return selectors.dossier_list_for_user(user=self.request.user, filters=filters).order_by("-id")

    def get_serializer_class(self):
        return DossierDetailSerializer if self.action == "retrieve" else DossierSerializer

    def retrieve(self, request, *args, **kwargs):
        dossier = selectors.dossier_detail_for_user(user=request.user, reference=kwargs["reference"], channel="api")
        return Response(DossierDetailSerializer(dossier).data)

    @extend_schema(request=None, responses={200: DossierSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, reference=None):
        dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
        return Response(DossierSerializer(services.dossier_submit(dossier=dossier, by=request.user)).data)


class ValidationSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               viewsets.GenericViewSet):
    rules = {"list": "projects.view_synthesis", "retrieve": "projects.view_synthesis",
             "synthesis": "projects.view_synthesis", "items": "projects.view_sessions"}
    permission_classes = [RulePermission]
    lookup_field = "reference"
    queryset = ValidationSession.objects.none()
    serializer_class = SessionSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.session_list_for_user(user=self.request.user).order_by("-date", "-id")

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def synthesis(self, request, reference=None):
        return Response(session_synthesis(self.get_object()))

    @extend_schema(responses={200: AgendaItemSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def items(self, request, reference=None):
        items = selectors.agenda_items_for_user(user=request.user, session=self.get_object())
        page = self.paginate_queryset(items)
        return self.get_paginated_response(AgendaItemSerializer(page, many=True).data)

    @extend_schema(request=DetermineSerializer, responses={201: BatchSerializer})
    @action(detail=True, methods=["post"])
    def determine(self, request, reference=None):
        session = selectors.session_get_for_user(user=request.user, reference=reference)
        data = DetermineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = list(selectors.agenda_items_for_user(user=request.user, session=session,
                                                     ids=data.validated_data["items"]))
        batch = services.determinations_record(session=session, by=request.user, items=items,
                                               outcome=data.validated_data["outcome"],
                                               reasons=data.validated_data["reasons"],
                                               amendments=data.validated_data["amendments"])
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: BatchSerializer})
    @action(detail=True, methods=["post"], url_path=r"batches/(?P<batch_id>\d+)/undo")
    def undo(self, request, reference=None, batch_id=None):
        session = selectors.session_get_for_user(user=request.user, reference=reference)
        batch = selectors.batch_get_for_user(user=request.user, session=session, batch_id=batch_id)
        return Response(BatchSerializer(services.batch_undo(batch=batch, by=request.user)).data)


class ReviewViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The user's own reviews; POST records (or corrects) the scores of one agenda item."""

    rules = {"list": "projects.view_sessions"}
    permission_classes = [RulePermission]
    queryset = Review.objects.none()
    serializer_class = ReviewSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.review_list_for_user(user=self.request.user).filter(reviewer=self.request.user).order_by("-id")

    @extend_schema(request=ReviewInputSerializer, responses={201: ReviewSerializer})
    def create(self, request, *args, **kwargs):
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = selectors.item_get_for_user(user=request.user, item_id=data.validated_data["item"])
        review = services.review_record(item=item, by=request.user, scores=data.validated_data,
                                        comment=data.validated_data["comment"])
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class PurchaseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    rules = {"list": "projects.manage_installation"}
    permission_classes = [RulePermission]
    queryset = Purchase.objects.none()
    serializer_class = PurchaseSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.purchase_list_for_user(user=self.request.user).order_by("-id")

    @extend_schema(request=PurchaseActionSerializer, responses={200: PurchaseSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        purchase = selectors.purchase_get_for_user(user=request.user, purchase_id=pk)
        data = PurchaseActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        purchase = services.purchase_transition(purchase=purchase, by=request.user, **data.validated_data)
        return Response(PurchaseSerializer(purchase).data)
