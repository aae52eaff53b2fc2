"""Reception over the API: the same selectors, rules and services as the pages."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response

from mboa.core.api import NulSafeMultiPartParser, RulePermission
from mboa.core.conf import setting
from mboa.core.permissions import check
from mboa.core.sensitive import log_read

from .. import report as reports
from .. import selectors, services
from ..models import Arrival, GtaTask, Manifest, MedicalDetail, Passenger, ReceptionStep, StepCode
from ..sensitive import MEDICAL_FIELDS, PASSENGER_FIELDS
from .serializers import (
    ArrivalReturneeDetailSerializer,
    ArrivalReturneeSerializer,
    ArrivalSerializer,
    ArrivalTransitionSerializer,
    GtaTaskCompleteSerializer,
    GtaTaskSerializer,
    ManifestSerializer,
    ManifestUploadSerializer,
    ReceptionStepInputSerializer,
    ReturneeVulnerabilityInputSerializer,
)


class ArrivalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = ArrivalSerializer
    permission_classes = [RulePermission]
    rules = {"list": "reception.view_arrivals", "retrieve": "reception.view_arrivals",
             "create": "reception.manage_arrivals", "update": "reception.manage_arrivals",
             "transition": "reception.manage_arrivals", "hand_over": "reception.manage_arrivals",
             "report": "reception.view_report"}
    lookup_field = "reference"
    filterset_fields = ["status", "kind", "entry_point"]
    search_fields = ["reference", "flight_number"]
    queryset = Arrival.objects.none()

    def get_queryset(self):
        return selectors.arrival_list_for_user(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.arrival_create(by=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.arrival_update(arrival=serializer.instance, by=self.request.user,
                                                      data=serializer.validated_data)

    @extend_schema(request=ArrivalTransitionSerializer, responses=ArrivalSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, reference=None):
        arrival = self.get_object()
        data = ArrivalTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        arrival = services.arrival_transition(arrival=arrival, by=request.user, **data.validated_data)
        return Response(ArrivalSerializer(arrival).data)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, reference=None):
        result = services.arrival_hand_over(arrival=self.get_object(), by=request.user)
        return Response({"handed_over": result.handed_over, "cases_opened": result.cases_opened,
                         "waiting_identity_decision": result.skipped_review,
                         "not_registered": result.skipped_unregistered})

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def report(self, request, reference=None):
        data = reports.arrival_report(self.get_object())
        return Response({key: value for key, value in data.items() if key not in ("arrival", "generated_at")})


class ManifestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Upload a manifest (multipart: arrival, file, dry_run, mapping): 201 with the report
    when imported (or checked, with dry_run), 400 with every problem when refused."""

    serializer_class = ManifestSerializer
    permission_classes = [RulePermission]
    rules = {"list": "reception.manage_arrivals", "retrieve": "reception.manage_arrivals",
             "create": "reception.manage_arrivals"}
    parser_classes = [NulSafeMultiPartParser, FormParser, JSONParser]
    queryset = Manifest.objects.none()

    def get_queryset(self):
        if not check(self.request.user, "reception.manage_arrivals"):
            return Manifest.objects.none()
        return Manifest.objects.select_related("arrival").defer("content")

    @extend_schema(request=ManifestUploadSerializer, responses={201: dict, 400: dict})
    def create(self, request):
        upload = ManifestUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        arrival = selectors.arrival_get_for_user(user=request.user, reference=upload.validated_data["arrival"])
        file = upload.validated_data["file"]
        limit = setting("RECEPTION", "MANIFEST_MAX_BYTES")
        content = file.read(limit + 1)
        report = services.manifest_import(arrival=arrival, by=request.user, content=content, file_name=file.name,
                                          mapping=upload.validated_data["mapping"] or None,
                                          dry_run=upload.validated_data["dry_run"])
        return Response(report.as_dict(), status=status.HTTP_201_CREATED if report.ok else status.HTTP_400_BAD_REQUEST)


class GtaTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = GtaTaskSerializer
    permission_classes = [RulePermission]
    rules = {"complete": "reception.complete_task"}
    filterset_fields = ["status", "code"]
    queryset = GtaTask.objects.none()

    def get_queryset(self):
        qs = selectors.task_list_for_user(user=self.request.user)
        arrival = self.request.query_params.get("arrival")
        return qs.filter(arrival__reference=arrival) if arrival else qs

    @extend_schema(request=GtaTaskCompleteSerializer, responses=GtaTaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = self.get_object()
        data = GtaTaskCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = services.gta_task_complete(task=task, by=request.user, comment=data.validated_data["comment"])
        return Response(GtaTaskSerializer(task).data)


class PassengerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Returnees of an arrival (``?arrival=REFERENCE``). Medical details only for health staff."""

    serializer_class = ArrivalReturneeSerializer
    permission_classes = [RulePermission]
    rules = {"list": "reception.view_passengers", "retrieve": "reception.view_passengers",
             "steps": "reception.view_passengers", "vulnerability": "reception.flag_vulnerability"}
    search_fields = ["family_name", "given_names", "document_number"]
    filterset_fields = ["match_status", "urgent"]
    queryset = Passenger.objects.none()

    def get_queryset(self):
        if not check(self.request.user, "reception.view_passengers"):
            return Passenger.objects.none()
        qs = Passenger.objects.select_related("arrival").prefetch_related(
            Prefetch("steps", queryset=ReceptionStep.objects.select_related("done_by_structure")))
        arrival = self.request.query_params.get("arrival")
        return qs.filter(arrival__reference=arrival) if arrival else qs

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        selectors.log_list_read(user=request.user, passengers=page, fields=PASSENGER_FIELDS, channel="api",
                                purpose="reception list")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        passenger = self.get_object()
        log_read(user=request.user, obj=passenger, fields=PASSENGER_FIELDS, channel="api")
        medical = None
        if check(request.user, "reception.view_medical"):
            medical = MedicalDetail.objects.filter(passenger=passenger).first()
            if medical is not None:
                log_read(user=request.user, obj=medical, fields=MEDICAL_FIELDS, channel="api")
        return Response(ArrivalReturneeDetailSerializer(passenger, context={"medical": medical}).data)

    def _passenger(self, pk):
        try:
            return selectors.passenger_get_for_user(user=self.request.user, passenger_id=pk)
        except Exception:  # noqa: BLE001 - Http404 from the selector
            raise NotFound from None

    @extend_schema(request=ReceptionStepInputSerializer, responses=ArrivalReturneeSerializer)
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        passenger = self._passenger(pk)
        data = ReceptionStepInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        step = values.pop("step")
        if not check(request.user, "reception.record_step", step):
            raise PermissionDenied("This step is recorded by another structure.")
        if step == StepCode.POCKET_MONEY:
            services.pocket_money_pay(passenger=passenger, by=request.user, receipt=values.get("receipt", ""))
        else:
            services.step_record(passenger=passenger, step=step, by=request.user, data=values)
        passenger = get_object_or_404(self.get_queryset(), pk=passenger.pk)
        return Response(ArrivalReturneeSerializer(passenger).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReturneeVulnerabilityInputSerializer, responses=ArrivalReturneeSerializer)
    @action(detail=True, methods=["post"])
    def vulnerability(self, request, pk=None):
        passenger = self._passenger(pk)
        data = ReturneeVulnerabilityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        passenger = services.passenger_set_vulnerabilities(passenger=passenger, by=request.user, **data.validated_data)
        return Response(ArrivalReturneeSerializer(passenger).data)
