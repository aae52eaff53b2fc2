"""Cases over the API: the same selectors and services as the pages.

Reads are checked by the views' ``rules`` and scoped by the selectors, which log the
sensitive reads of the page of results they return. Writes hold no rule here: the
selector hides what the user may not see (404) and the service decides (403), so the page
and the API give the same answer to the same user.
"""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mboa.core.api import RulePermission

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
    TimelineEventSerializer,
    TrainingOfferSerializer,
    TransitionSerializer,
)


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases the user may see. Filters: ``q`` (name, phone, document, case number),
    ``status``, ``counsellor``, ``city``, ``vulnerability``, ``arrival_from``, ``arrival_to``, ``order``."""

    serializer_class = CaseSerializer
    permission_classes = [RulePermission]
    rules = {"list": "cases.view_cases", "retrieve": "cases.view_case", "timeline": "cases.view_cases"}
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

    def list(self, request, *args, **kwargs):
        shown = selectors.case_list_shown(user=request.user, cases=self.get_queryset(),
                                          paginate=self.paginate_queryset)
        return self.get_paginated_response(self.get_serializer(shown, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(CaseSerializer(selectors.case_read_for_user(user=request.user, case_id=kwargs["pk"])).data)

    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def transition(self, request, pk=None):
        case = selectors.case_get_for_user(user=request.user, case_id=pk)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_transition(case=case, by=request.user, **data.validated_data)
        return Response(CaseSerializer(selectors.case_read_for_user(user=request.user, case_id=case.pk)).data)

    @extend_schema(responses={200: TimelineEventSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, pk=None):
        case = selectors.case_get_for_user(user=request.user, case_id=pk)
        events = selectors.case_timeline(case=case, user=request.user)
        return Response([{"occurred_at": e.occurred_at, "verb": e.verb, "summary": e.summary,
                          "actor": str(e.actor) if e.actor else None,
                          "structure": e.actor_structure.code if e.actor_structure else None} for e in events])


class ConsentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ConsentSerializer
    permission_classes = [RulePermission]
    rules = {"list": "cases.view_cases"}
    filter_backends: list = []
    queryset = Consent.objects.none()

    def get_queryset(self):
        return selectors.consent_list_for_user(user=self.request.user).order_by("-given_on", "-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        case = selectors.case_get_for_user(user=self.request.user, case_id=data["case"])
        written = consent_services.consent_record(
            person=case.person, case=case, purpose=data["purpose"], method=data["method"], by=self.request.user,
            given_on=data.get("given_on"), structures=data.get("structures", []),
            witness_name=data.get("witness_name", ""))
        # Nothing written: the same consent was valid already; answer with it.
        serializer.instance = written[0] if written else self.get_queryset().filter(
            person_id=case.person_id, purpose=data["purpose"]).first()

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        consent = selectors.consent_get_for_user(user=request.user, consent_id=pk)
        consent = consent_services.consent_withdraw(consent=consent, by=request.user, note=request.data.get("note", ""))
        return Response(ConsentSerializer(consent).data)


class AssessmentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = AssessmentSerializer
    permission_classes = [RulePermission]
    rules = {"list": "cases.view_cases"}
    filter_backends: list = []
    queryset = Assessment.objects.none()

    def get_queryset(self):
        return selectors.assessment_list_for_user(user=self.request.user)

    def list(self, request, *args, **kwargs):
        shown = selectors.assessment_list_shown(user=request.user, assessments=self.get_queryset(),
                                                paginate=self.paginate_queryset)
        return self.get_paginated_response(self.get_serializer(shown, many=True).data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        case = selectors.case_get_for_user(user=self.request.user, case_id=data["case_id"])
        serializer.instance = assessment_services.assessment_record(
            case=case, kind=data["kind"], answers=data["answers"], by=self.request.user,
            assessed_on=data.get("assessed_on"))


class SessionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = CounsellingSessionSerializer
    permission_classes = [RulePermission]
    rules = {"list": "cases.view_cases"}
    filter_backends: list = []
    queryset = CounsellingSession.objects.none()

    def get_queryset(self):
        return selectors.session_list_for_user(user=self.request.user).order_by("-held_on", "-id")

    def list(self, request, *args, **kwargs):
        shown, withheld = selectors.session_list_shown(user=request.user, sessions=self.get_queryset(),
                                                       paginate=self.paginate_queryset)
        serializer = self.get_serializer(shown, many=True, context={**self.get_serializer_context(),
                                                                    "hidden_notes": withheld})
        return self.get_paginated_response(serializer.data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        case = selectors.case_get_for_user(user=self.request.user, case_id=data["case_id"])
        serializer.instance = services.session_record(
            case=case, by=self.request.user, kind=data["kind"], held_on=data["held_on"],
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
    rules = {"list": "cases.view_trainings", "retrieve": "cases.view_trainings"}
    filter_backends: list = []
    queryset = TrainingOffer.objects.none()

    def get_queryset(self):
        return selectors.training_list_for_user(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = trainings.offer_create(by=self.request.user, data=serializer.validated_data)

    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        offer = selectors.training_get_for_user(user=request.user, offer_id=pk)
        case = selectors.case_get_for_user(user=request.user, case_id=request.data.get("case"))
        enrolment = trainings.enrol(offer=offer, case=case, by=request.user)
        return Response({"id": enrolment.pk, "offer": offer.pk, "case": case.pk, "status": enrolment.status},
                        status=201)
