"""Reception over the API: the same selectors (which log what an answer shows) and the same
services (which check the rule of each write) as the pages.

Writes are open to any signed-in user at this level: the object is fetched through the
selector the page uses (404 when the user may not see it) and the service decides (403
when the rule refuses, 400 with the message when the domain does), so the page and the
API answer alike.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from mboa.core.api import NulSafeMultiPartParser, RulePermission
from mboa.core.conf import setting

from .. import report as reports
from .. import selectors, services
from ..models import AnalysisState, Arrival, GtaTask, Manifest, ManifestStatus, Passenger
from .serializers import (
    ArrivalReturneeDetailSerializer,
    ArrivalReturneeSerializer,
    ArrivalSerializer,
    ArrivalTransitionSerializer,
    GtaTaskCompleteSerializer,
    GtaTaskSerializer,
    ManifestImportSerializer,
    ManifestSerializer,
    ManifestUploadSerializer,
    ReceptionStepInputSerializer,
    ReturneeVulnerabilityInputSerializer,
)

WRITES = {"create", "update", "partial_update"}


class ArrivalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = ArrivalSerializer
    permission_classes = [RulePermission]
    rules = {"list": "reception.view_arrivals", "retrieve": "reception.view_arrivals", "report": "reception.view_report"}
    lookup_field = "reference"
    filterset_fields = ["status", "kind", "entry_point"]
    search_fields = ["reference", "flight_number"]
    queryset = Arrival.objects.none()

    def get_queryset(self):
        return selectors.arrival_list_for_user(user=self.request.user)

    def get_object(self):
        # The page's selectors: arrival_for_manager for the edit (404, then 403, before reading the form).
        reference = self.kwargs["reference"]
        if self.action in WRITES:
            return selectors.arrival_for_manager(user=self.request.user, reference=reference)
        rule = "reception.view_report" if self.action == "report" else "reception.view_arrivals"
        arrival = selectors.arrival_get_for_user(user=self.request.user, reference=reference, rule=rule)
        self.check_object_permissions(self.request, arrival)
        return arrival

    def create(self, request, *args, **kwargs):
        selectors.arrival_for_manager(user=request.user)  # as the page: 403 before reading the form
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.arrival_create(by=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.arrival_update(arrival=serializer.instance, by=self.request.user,
                                                      data=serializer.validated_data)

    @extend_schema(request=ArrivalTransitionSerializer, responses=ArrivalSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def transition(self, request, reference=None):
        arrival = self.get_object()
        data = ArrivalTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        arrival = services.arrival_transition(arrival=arrival, by=request.user, **data.validated_data)
        return Response(ArrivalSerializer(arrival).data)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"], url_path="hand-over", permission_classes=[IsAuthenticated])
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
    rules = {"list": "reception.manage_arrivals", "retrieve": "reception.manage_arrivals"}
    parser_classes = [NulSafeMultiPartParser, FormParser, JSONParser]
    queryset = Manifest.objects.none()

    def get_permissions(self):
        if self.action in ("create", "import_draft"):  # the services check reception.manage_arrivals
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        return selectors.manifest_list_for_user(user=self.request.user)

    @extend_schema(request=ManifestUploadSerializer, responses={201: dict, 202: ManifestSerializer, 400: dict})
    def create(self, request):
        """Upload a list: it is kept as a draft and read by a task. When the analysis is
        done at once (development, tests), the answer is the import's (201, or 400 with
        every problem); otherwise 202 with the draft, to import with ``/manifests/{id}/import/``."""
        upload = ManifestUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        # Manifests are for those who manage arrivals: the others do not find the arrival
        # here (404), as they do not find its manifests on the pages.
        arrival = selectors.arrival_get_for_user(user=request.user, reference=upload.validated_data["arrival"],
                                                 rule="reception.manage_arrivals")
        file = upload.validated_data["file"]
        content = file.read(setting("RECEPTION", "MANIFEST_MAX_BYTES") + 1)
        manifest = services.manifest_upload(arrival=arrival, by=request.user, content=content, file_name=file.name)
        services.manifest_analysis_queue(manifest=manifest)
        return self._import(manifest, mapping=upload.validated_data["mapping"] or None,
                            dry_run=upload.validated_data["dry_run"])

    @extend_schema(request=ManifestImportSerializer, responses={201: dict, 200: dict, 202: ManifestSerializer,
                                                                400: dict})
    @action(detail=True, methods=["post"], url_path="import", permission_classes=[IsAuthenticated])
    def import_draft(self, request, pk=None):
        """Import an analysed draft (200 with ``already_imported`` when it was imported before)."""
        manifest = selectors.manifest_get_for_user(user=request.user, manifest_id=pk)
        data = ManifestImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.manifest_analysis_queue(manifest=manifest)
        return self._import(manifest, mapping=data.validated_data["mapping"] or None,
                            dry_run=data.validated_data["dry_run"])

    def _import(self, manifest, *, mapping, dry_run) -> Response:
        if manifest.analysis_state != AnalysisState.DONE and manifest.status != ManifestStatus.IMPORTED:
            return Response(ManifestSerializer(manifest).data, status=status.HTTP_202_ACCEPTED)
        report = services.manifest_import_draft(manifest=manifest, by=self.request.user, mapping=mapping,
                                                dry_run=dry_run)
        if report.already_imported:
            return Response(report.as_dict(), status=status.HTTP_200_OK)
        return Response(report.as_dict(), status=status.HTTP_201_CREATED if report.ok else status.HTTP_400_BAD_REQUEST)


class GtaTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = GtaTaskSerializer
    filterset_fields = ["status", "code"]
    queryset = GtaTask.objects.none()

    def get_queryset(self):
        qs = selectors.task_list_for_user(user=self.request.user)
        arrival = self.request.query_params.get("arrival")
        return qs.filter(arrival__reference=arrival) if arrival else qs

    @extend_schema(request=GtaTaskCompleteSerializer, responses=GtaTaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = selectors.task_get_for_user(user=request.user, task_id=pk)
        data = GtaTaskCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = services.gta_task_complete(task=task, by=request.user, comment=data.validated_data["comment"])
        return Response(GtaTaskSerializer(task).data)


class PassengerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Returnees of an arrival (``?arrival=REFERENCE``). Medical details only for health staff."""

    serializer_class = ArrivalReturneeSerializer
    permission_classes = [RulePermission]
    rules = {"list": "reception.view_passengers", "retrieve": "reception.view_passengers"}

    @property
    def search_fields(self):
        """Document numbers are searched only by those who may see them (else a search is an oracle)."""
        request = getattr(self, "request", None)
        user = getattr(request, "user", None)
        return selectors.passenger_search_fields(user=user)

    filterset_fields = ["match_status", "urgent"]
    queryset = Passenger.objects.none()

    def get_queryset(self):
        return selectors.passenger_list_for_user(user=self.request.user, with_steps=True)

    def list(self, request, *args, **kwargs):
        reference = request.query_params.get("arrival")

        def shown(queryset):
            if reference:
                queryset = queryset.filter(arrival__reference=reference)
            return self.paginate_queryset(self.filter_queryset(queryset))

        page = selectors.passengers_shown_for_user(user=request.user, paginate=shown, with_steps=True, channel="api",
                                                   details=True)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        page = selectors.passenger_page_for_user(user=request.user, passenger_id=kwargs["pk"], channel="api")
        return Response(ArrivalReturneeDetailSerializer(page.passenger, context={"medical": page.medical}).data)

    def _answer(self, pk, *, created: bool = False) -> Response:
        passenger = selectors.passenger_shown_for_user(user=self.request.user, passenger_id=pk, channel="api")
        return Response(ArrivalReturneeSerializer(passenger).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=ReceptionStepInputSerializer, responses={201: ArrivalReturneeSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def steps(self, request, pk=None):
        passenger = selectors.passenger_get_for_user(user=request.user, passenger_id=pk)
        data = ReceptionStepInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        services.step_tick(passenger=passenger, step=values.pop("step"), by=request.user, data=values)
        return self._answer(passenger.pk, created=True)

    @extend_schema(request=ReturneeVulnerabilityInputSerializer, responses=ArrivalReturneeSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def vulnerability(self, request, pk=None):
        passenger = selectors.passenger_get_for_user(user=request.user, passenger_id=pk)
        data = ReturneeVulnerabilityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.passenger_set_vulnerabilities(passenger=passenger, by=request.user, **data.validated_data)
        return self._answer(passenger.pk)
