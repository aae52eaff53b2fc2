"""API of the projects app: the same selectors and services as the pages.

Reads are checked by ``RulePermission`` (``rules``) and scoped by the selectors. Writes
are not ruled here: as on the pages, the object is fetched through a scoped selector (404)
and the service decides (403, or 400 with its message), so that the page and the API give
each user the same answer.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from mboa.core.api import RulePermission

from .. import selectors, services
from ..forms import SurvivalFilterForm
from ..models import Dossier, FollowUpVisit, Purchase, Review, ValidationSession, VisitMode
from ..outcomes import DIMENSIONS, survival_rows
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
    VisitCreateSerializer,
    VisitMissSerializer,
    VisitRecordSerializer,
    VisitSerializer,
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


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Follow-up visits the user sees (``?state=planned|done|missed``, ``?mine=1`` for the
    visits to be made by the user, ``?overdue=1``). POST records an unplanned visit of a
    project; ``record`` and ``missed`` answer a planned visit, as the pages do."""

    rules = {"list": "projects.view_visits", "retrieve": "projects.view_visits"}
    permission_classes = [RulePermission]
    queryset = FollowUpVisit.objects.none()
    serializer_class = VisitSerializer
    filter_backends: list = []

    def get_queryset(self):
        from ..followup import overdue_visits

        visits = selectors.visit_list_for_user(user=self.request.user)
        params = self.request.query_params
        if params.get("state"):
            visits = visits.filter(state=params["state"])
        if params.get("mine"):
            visits = visits.filter(assignee=self.request.user)
        if params.get("overdue"):
            visits = visits.filter(pk__in=overdue_visits().values("pk"))
        return visits.order_by("due_on", "id")

    def retrieve(self, request, *args, **kwargs):
        return Response(VisitSerializer(selectors.visit_get_for_user(user=request.user, visit_id=kwargs["pk"])).data)

    @extend_schema(request=VisitCreateSerializer, responses={201: VisitSerializer})
    def create(self, request, *args, **kwargs):
        data = VisitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        dossier = selectors.dossier_get_for_user(user=request.user, reference=values["dossier"])
        visit = services.visit_record(dossier=dossier, by=request.user, visited_on=values["visited_on"],
                                      status=values["status"], notes=values["findings"],
                                      mode=values["mode"] or VisitMode.ON_SITE)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VisitRecordSerializer, responses={200: VisitSerializer})
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
        data = VisitRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        visit = services.visit_complete(visit=visit, by=request.user, visited_on=values["visited_on"],
                                        mode=values["mode"], status=values["status"], notes=values["findings"])
        return Response(VisitSerializer(visit).data)

    @extend_schema(request=VisitMissSerializer, responses={200: VisitSerializer})
    @action(detail=True, methods=["post"])
    def missed(self, request, pk=None):
        visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
        data = VisitMissSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visit = services.visit_miss(visit=visit, by=request.user, reason=data.validated_data["reason"],
                                    note=data.validated_data["note"])
        return Response(VisitSerializer(visit).data)


class SurvivalView(APIView):
    """Project survival at ``months`` months per dimension ``by`` (sector, filiere, region,
    kind, sex, total), with the survival page's filters. Figures only."""

    permission_classes = [RulePermission]
    rules = {"get": "projects.view_outcomes"}

    @extend_schema(parameters=[OpenApiParameter("months", int), OpenApiParameter("by", str),
                               *[OpenApiParameter(name, str) for name in SurvivalFilterForm.base_fields]],
                   responses={200: dict})
    def get(self, request):
        by = request.query_params.get("by", "total")
        try:
            months = int(request.query_params.get("months", "6"))
        except ValueError:
            months = -1
        if by not in (*DIMENSIONS, "total") or not 0 < months <= 120:
            return Response({"detail": "by: one of total, " + ", ".join(DIMENSIONS) + "; months: 1 to 120."},
                            status=status.HTTP_400_BAD_REQUEST)
        form = SurvivalFilterForm(request.query_params)
        rows = survival_rows(months=months, by=by, filters=form.filters())
        return Response({"months": months, "by": by,
                         "results": [{**row, "label": str(row["label"])} for row in rows]})
