"""Services, service points, referrals (the sender's and the receiver's), delays and
agreements over the API: the same selectors, rules and services as the pages. The
selectors check the scope and log the sensitive reads; ``rules`` only say who may use an
endpoint at all (the same rule the page's selector requires first)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from mboa.core.api import NulSafeMultiPartParser, RulePermission
from mboa.core.conf import setting
from mboa.core.ids import parse_id

from .. import agreements, delays, selectors, services
from ..models import Agreement, Referral, Service, ServicePoint
from .serializers import (
    AgreementDetailSerializer,
    AgreementDocumentSerializer,
    AgreementFigureSerializer,
    AgreementSerializer,
    AgreementTransitionSerializer,
    AgreementUpdateSerializer,
    AgreementWriteSerializer,
    ReceiverReferralSerializer,
    ReferralListSerializer,
    ReferralSendSerializer,
    ReferralTransitionSerializer,
    SenderReferralSerializer,
    ServicePointSerializer,
    ServiceSerializer,
)


class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ServiceSerializer
    permission_classes = [RulePermission]
    queryset = Service.objects.none()
    pagination_class = None

    def get_queryset(self):
        return selectors.service_list_for_user(user=self.request.user)


class ServicePointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ServicePointSerializer
    permission_classes = [RulePermission]
    queryset = ServicePoint.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        return selectors.service_point_list_for_user(user=self.request.user, service=params.get("service", ""),
                                                     structure=params.get("structure", ""))


def _referral_out(shown: selectors.ReferralDetail) -> dict:
    """The sender's shape (with the case and the consent) or the receiver's (what travelled)."""
    serializer = SenderReferralSerializer if shown.sees_case else ReceiverReferralSerializer
    return serializer(shown.referral, context={"shown": shown}).data


def _flag(value: str | None) -> bool:
    return value in ("1", "true")


class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """``?inbox=1``: the referrals addressed to the user's structure (focal points)."""

    serializer_class = ReferralListSerializer
    permission_classes = [RulePermission]
    rules = {"list": "referrals.view_referral", "retrieve": "referrals.view_referral",
             "create": "referrals.send_referral", "transition": "referrals.view_referral"}
    queryset = Referral.objects.none()
    filter_backends: list = []

    def _filters(self) -> dict:
        params = self.request.query_params
        case = params.get("case", "")
        return {"inbox": _flag(params.get("inbox")), "status": params.get("status", ""),
                "structure": params.get("structure", ""), "service": params.get("service", ""),
                "overdue": _flag(params.get("overdue")), "case": parse_id(case)}

    def get_queryset(self):
        return selectors.referral_listing_for_user(user=self.request.user, **self._filters())

    @extend_schema(parameters=[
        OpenApiParameter("inbox", bool), OpenApiParameter("status", str), OpenApiParameter("structure", str),
        OpenApiParameter("service", str), OpenApiParameter("overdue", bool), OpenApiParameter("case", int)])
    def list(self, request, *args, **kwargs):
        page, _referrals = selectors.referral_page_for_user(user=request.user, paginate=self.paginate_queryset,
                                                            channel="api", **self._filters())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(_referral_out(selectors.referral_detail_for_user(user=request.user, pk=kwargs["pk"],
                                                                         channel="api")))

    @extend_schema(request=ReferralSendSerializer, responses={201: SenderReferralSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ReferralSendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = selectors.case_to_refer_for_user(user=request.user, case_id=data.pop("case"))
        referral = services.referral_send(by=request.user, case=case, **data)
        shown = selectors.referral_detail_for_user(user=request.user, pk=referral.pk, channel="api")
        return Response(_referral_out(shown), status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralTransitionSerializer, responses={200: SenderReferralSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        referral = selectors.referral_get_for_user(user=request.user, pk=pk)
        serializer = ReferralTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.referral_transition(referral=referral, by=request.user, **serializer.validated_data)
        return Response(_referral_out(selectors.referral_detail_for_user(user=request.user, pk=pk, channel="api")))


class ReferralDelaysView(APIView):
    """Response times per structure, service and month (``?group=structure,service``)."""

    permission_classes = [RulePermission]
    rules = {"get": "referrals.view_delays"}

    @extend_schema(parameters=[OpenApiParameter("group", str), OpenApiParameter("structure", str),
                               OpenApiParameter("service", str)], responses={200: dict})
    def get(self, request):
        group = [g for g in request.query_params.get("group", "structure,service,month").split(",")
                 if g in delays.GROUPS] or list(delays.GROUPS)
        rows = selectors.delay_rows_for_user(user=request.user, structure=request.query_params.get("structure", ""),
                                             service=request.query_params.get("service", ""))
        return Response({"group_by": group, "results": delays.delay_report(rows=rows, group_by=group),
                         "targets": {code: delays.targets(code) for code in setting("REFERRALS", "SLA")}})


class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                       viewsets.GenericViewSet):
    serializer_class = AgreementSerializer
    permission_classes = [RulePermission]
    rules = {"list": "referrals.view_agreements", "retrieve": "referrals.view_agreement",
             "create": "referrals.manage_agreements", "update": "referrals.manage_agreements", "transition": "referrals.view_agreements",
             "documents": "referrals.view_agreements", "figures": "referrals.view_agreements"}
    queryset = Agreement.objects.none()
    filterset_fields = ["status", "ball_with"]
    parser_classes = [JSONParser, NulSafeMultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.agreement_list_for_user(user=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        agreement = selectors.agreement_get_for_user(user=request.user, pk=kwargs["pk"])
        return Response(AgreementDetailSerializer(agreement, context={"request": request}).data)

    @extend_schema(request=AgreementWriteSerializer, responses={201: AgreementDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = AgreementWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = agreements.agreement_create(by=request.user, **serializer.validated_data)
        agreement = selectors.agreement_get_for_user(user=request.user, pk=agreement.pk)
        return Response(AgreementDetailSerializer(agreement, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=AgreementUpdateSerializer, responses={200: AgreementDetailSerializer})
    def update(self, request, *args, **kwargs):
        agreement = selectors.agreement_get_for_user(user=request.user, pk=kwargs["pk"])
        serializer = AgreementUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        agreements.agreement_update(agreement=agreement, by=request.user, data=serializer.validated_data)
        agreement = selectors.agreement_get_for_user(user=request.user, pk=agreement.pk)
        return Response(AgreementDetailSerializer(agreement, context={"request": request}).data)

    @extend_schema(request=AgreementTransitionSerializer, responses={200: AgreementDetailSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
        serializer = AgreementTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreements.agreement_transition(agreement=agreement, by=request.user, **serializer.validated_data)
        agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
        return Response(AgreementDetailSerializer(agreement, context={"request": request}).data)

    @extend_schema(request=AgreementDocumentSerializer, responses={201: AgreementDocumentSerializer})
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
        serializer = AgreementDocumentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = agreements.agreement_document_add(agreement=agreement, by=request.user,
                                                     **serializer.validated_data)
        return Response(AgreementDocumentSerializer(document, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: AgreementFigureSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def figures(self, request):
        """Days with IOM and with each structure during negotiation, per structure."""
        rows = selectors.agreement_figures_for_user(user=request.user, now=timezone.now())
        return Response([{**{k: v for k, v in row.items() if k != "structure"}, "structure": row["structure"].code}
                         for row in rows])
