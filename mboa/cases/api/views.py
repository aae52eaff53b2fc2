"""Cases over the API: the same selectors, rules and services as the pages."""

from django.http import Http404
from django_filters import rest_framework as filters
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from mboa.core.api import RulePermission
from mboa.core.permissions import check
from mboa.core.sensitive import log_read

from .. import assessments as assessment_services
from .. import consent as consent_services
from .. import niches as niche_services
from .. import selectors, services, trainings
from ..models import Assessment, Case, Consent, CounsellingSession, Niche, TrainingOffer
from .serializers import (
    AssessmentSerializer,
    CaseSerializer,
    ConsentSerializer,
    CounsellingSessionSerializer,
    NicheSerializer,
    TrainingOfferSerializer,
    TransitionSerializer,
)


def _case_for(request, case_id) -> Case:
    try:
        return selectors.case_get_for_user(user=request.user, case_id=case_id)
    except Http404:
        raise PermissionDenied("Not one of your cases.") from None


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases the user may see. Filters: ``q`` (name, phone, document, case number),
    ``status``, ``counsellor``, ``city``, ``vulnerability``, ``arrival_from``, ``arrival_to``, ``order``."""

    serializer_class = CaseSerializer
    permission_classes = [RulePermission]
    rules = {"list": "cases.view_cases", "retrieve": "cases.view_case", "transition": "cases.view_cases",
             "timeline": "cases.view_cases"}
    filter_backends: list = []
    queryset = Case.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        return selectors.case_list_for_user(
            user=self.request.user, query=params.get("q", ""), status=params.get("status", ""),
            counsellor=params.get("counsellor") or None, city=params.get("city", ""),
            vulnerability=params.get("vulnerability", ""), arrival_from=params.get("arrival_from") or None,
            arrival_to=params.get("arrival_to") or None, order=params.get("order", "-opened"),
        )

    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def transition(self, request, pk=None):
        case = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_transition(case=case, by=request.user, **data.validated_data)
        return Response(CaseSerializer(selectors.case_get_for_user(user=request.user, case_id=case.pk)).data)

    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        case = self.get_object()
        events = selectors.case_timeline(case=case, user=request.user)
        return Response([{"occurred_at": e.occurred_at, "verb": e.verb, "summary": e.summary,
                          "actor": str(e.actor) if e.actor else None,
                          "structure": e.actor_structure.code if e.actor_structure else None} for e in events])


class ConsentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ConsentSerializer
    permission_classes = [RulePermission]
    rules = {"list": "cases.view_cases", "create": "cases.work_on_case", "withdraw": "cases.work_on_case"}
    filter_backends: list = []
    queryset = Consent.objects.none()

    def get_queryset(self):
        return selectors.consent_list_for_user(user=self.request.user).order_by("-given_on", "-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        case = _case_for(self.request, data["case"])
        written = consent_services.consent_record(
            person=case.person, case=case, purpose=data["purpose"], method=data["method"], by=self.request.user,
            given_on=data.get("given_on"), structures=data.get("structures", []),
            witness_name=data.get("witness_name", ""))
        serializer.instance = written[0] if written else Consent.objects.filter(person=case.person).first()

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        try:
            consent = self.get_queryset().get(pk=pk)
        except (Consent.DoesNotExist, ValueError):
            raise Http404 from None
        consent = consent_services.consent_withdraw(consent=consent, by=request.user, note=request.data.get("note", ""))
        return Response(ConsentSerializer(consent).data)


class AssessmentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = AssessmentSerializer
    permission_classes = [RulePermission]
    rules = {"list": "cases.view_cases", "create": "cases.work_on_case"}
    filter_backends: list = []
    queryset = Assessment.objects.none()

    def get_queryset(self):
        cases = selectors.case_list_for_user(user=self.request.user).values("pk")
        return Assessment.objects.filter(case_id__in=cases).select_related("form").order_by("-assessed_on", "-id")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if response.data.get("results"):
            # Vulnerability answers may describe health and violence: the read is logged.
            for row in response.data["results"]:
                log_read(user=request.user, obj=Assessment(pk=row["id"]), fields=["answers"], channel="api")
        return response

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "data" in kwargs:
            serializer.fields["case"].queryset = selectors.case_list_for_user(user=self.request.user)
        return serializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = assessment_services.assessment_record(
            case=data["case"], kind=data["kind"], answers=data["answers"], by=self.request.user,
            assessed_on=data.get("assessed_on"))


class SessionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = CounsellingSessionSerializer
    permission_classes = [RulePermission]
    rules = {"list": "cases.view_cases", "create": "cases.work_on_case"}
    filter_backends: list = []
    queryset = CounsellingSession.objects.none()

    def get_queryset(self):
        return selectors.session_list_for_user(user=self.request.user).order_by("-held_on", "-id")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "data" in kwargs:
            serializer.fields["case"].queryset = selectors.case_list_for_user(user=self.request.user)
        return serializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        hidden = set()
        for session in page:
            if session.is_restricted:
                if check(request.user, "cases.read_psychosocial", session.case):
                    log_read(user=request.user, obj=session, fields=["notes"], channel="api")
                else:
                    hidden.add(session.pk)
        serializer = self.get_serializer(page, many=True, context={**self.get_serializer_context(),
                                                                   "hidden_notes": hidden})
        return self.get_paginated_response(serializer.data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.session_record(
            case=data["case"], by=self.request.user, kind=data["kind"], held_on=data["held_on"],
            notes=data.get("notes", ""), next_appointment_at=data.get("next_appointment_at"))


class NicheFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region_id")
    sector = filters.CharFilter(field_name="sector_id")
    filiere = filters.CharFilter(field_name="filiere_id")

    class Meta:
        model = Niche
        fields = ["region", "sector", "filiere"]


class NicheViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = NicheSerializer
    permission_classes = [RulePermission]
    rules = {"create": "cases.change_niches", "update": "cases.change_niches"}
    filterset_class = NicheFilter
    queryset = Niche.objects.none()

    def get_queryset(self):
        return selectors.niche_list()

    def perform_create(self, serializer):
        serializer.instance = niche_services.niche_save(by=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = niche_services.niche_save(by=self.request.user, data=serializer.validated_data,
                                                        niche=serializer.instance)


class TrainingOfferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                           viewsets.GenericViewSet):
    serializer_class = TrainingOfferSerializer
    permission_classes = [RulePermission]
    rules = {"list": "cases.view_trainings", "retrieve": "cases.view_trainings", "create": "cases.manage_trainings",
             "enrol": "cases.view_trainings"}
    filter_backends: list = []
    queryset = TrainingOffer.objects.none()

    def get_queryset(self):
        return selectors.training_list_for_user(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = trainings.offer_create(by=self.request.user, data=serializer.validated_data)

    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        offer = self.get_object()
        case = _case_for(request, request.data.get("case"))
        enrolment = trainings.enrol(offer=offer, case=case, by=request.user)
        return Response({"id": enrolment.pk, "offer": offer.pk, "case": case.pk, "status": enrolment.status},
                        status=201)
