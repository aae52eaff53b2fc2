"""API of the projects app: the same selectors and services as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mboa.core.api import RulePermission
from mboa.core.sensitive import log_read

from .. import selectors, services
from ..models import AgendaItem, Dossier, Purchase, Review, ValidationSession
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

    permission_classes = [RulePermission]
    rules = {"list": "projects.view_dossiers", "retrieve": "projects.view_dossiers",
             "submit": "projects.change_dossier"}
    lookup_field = "reference"
    queryset = Dossier.objects.none()
    filter_backends: list = []

    def get_queryset(self):
        filters = {k: self.request.query_params.get(k) for k in ("status", "region", "sector", "filiere", "kind",
                                                                  "town", "q")}
        qs = selectors.dossier_list_for_user(user=self.request.user, filters=filters).order_by("-id")
        if self.action == "retrieve":
            qs = qs.select_related("current_version").prefetch_related("members",
                                                                        "current_version__budget_lines")
        return qs

    def get_serializer_class(self):
        return DossierDetailSerializer if self.action == "retrieve" else DossierSerializer

    def retrieve(self, request, *args, **kwargs):
        dossier = self.get_object()
        log_read(user=request.user, obj=dossier, fields=["members.family_name", "members.given_names"], channel="api")
        return Response(DossierDetailSerializer(dossier).data)

    @extend_schema(request=None, responses={200: DossierSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, reference=None):
        dossier = services.dossier_submit(dossier=self.get_object(), by=request.user)
        return Response(DossierSerializer(dossier).data)


class ValidationSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [RulePermission]
    rules = {"list": "projects.view_synthesis", "retrieve": "projects.view_synthesis",
             "synthesis": "projects.view_synthesis", "items": "projects.view_sessions",
             "determine": "projects.determine", "undo": "projects.determine"}
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
        session = self.get_object()
        qs = AgendaItem.objects.filter(session=session).select_related("dossier").order_by("position", "id")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AgendaItemSerializer(page, many=True).data)

    @extend_schema(request=DetermineSerializer, responses={201: BatchSerializer})
    @action(detail=True, methods=["post"])
    def determine(self, request, reference=None):
        session = self.get_object()
        data = DetermineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = list(AgendaItem.objects.filter(session=session, pk__in=data.validated_data["items"]))
        batch = services.determinations_record(session=session, by=request.user, items=items,
                                               outcome=data.validated_data["outcome"],
                                               reasons=data.validated_data["reasons"],
                                               amendments=data.validated_data["amendments"])
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: BatchSerializer})
    @action(detail=True, methods=["post"], url_path=r"batches/(?P<batch_id>\d+)/undo")
    def undo(self, request, reference=None, batch_id=None):
        session = self.get_object()
        batch = session.batches.filter(pk=batch_id).first()
        if batch is None:
            from django.http import Http404

            raise Http404
        return Response(BatchSerializer(services.batch_undo(batch=batch, by=request.user)).data)


class ReviewViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The user's own reviews; POST records (or corrects) the scores of one agenda item."""

    permission_classes = [RulePermission]
    rules = {"list": "projects.view_sessions", "create": "projects.view_sessions"}
    queryset = Review.objects.none()
    serializer_class = ReviewSerializer
    filter_backends: list = []

    def get_queryset(self):
        return Review.objects.filter(reviewer=self.request.user).order_by("-id")

    @extend_schema(request=ReviewInputSerializer, responses={201: ReviewSerializer})
    def create(self, request, *args, **kwargs):
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = AgendaItem.objects.select_related("session").filter(pk=data.validated_data["item"]).first()
        if item is None or not item.session.reviewers.filter(pk=request.user.pk).exists():
            from django.http import Http404

            raise Http404
        review = services.review_record(item=item, by=request.user, scores=data.validated_data,
                                        comment=data.validated_data["comment"])
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class PurchaseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [RulePermission]
    rules = {"list": "projects.manage_installation", "create": "projects.manage_installation",
             "transition": "projects.manage_installation"}
    queryset = Purchase.objects.none()
    serializer_class = PurchaseSerializer
    filter_backends: list = []

    def get_queryset(self):
        dossiers = selectors.dossier_list_for_user(user=self.request.user).values("pk")
        return Purchase.objects.filter(dossier__in=dossiers).select_related("dossier").order_by("-id")

    @extend_schema(request=PurchaseActionSerializer, responses={200: PurchaseSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        purchase = self.get_queryset().filter(pk=pk).first()
        if purchase is None:
            from django.http import Http404

            raise Http404
        data = PurchaseActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        purchase = services.purchase_transition(purchase=purchase, by=request.user, **data.validated_data)
        return Response(PurchaseSerializer(purchase).data)
