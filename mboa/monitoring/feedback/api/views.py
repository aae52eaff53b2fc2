"""Feedback, satisfaction, community projects, awareness activities and their figures over
the API: the same selectors, rules and services as the pages. The selectors check the
scope and log the reads; ``rules`` only say who may use an endpoint at all."""

from __future__ import annotations

from django.utils.dateparse import parse_date
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from mboa.core.api import RulePermission

from .. import selectors, services
from ..models import AwarenessActivity, CommunityProject, Feedback, SatisfactionScore
from .serializers import (
    AwarenessActivitySerializer,
    BeneficiaryCountSerializer,
    CloseSerializer,
    CommunityProjectSerializer,
    FeedbackDetailSerializer,
    FeedbackListSerializer,
    FeedbackLogSerializer,
    SatisfactionRecordSerializer,
    SatisfactionSerializer,
    TextSerializer,
)

FIGURE_FILTERS = ("date_from", "date_to", "region", "structure", "sex", "age_group")


class FeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The queue (``?staff=1``: complaints against staff, the officers'); a complaint
    against staff is a 404 for anyone but the designated officers."""

    serializer_class = FeedbackListSerializer
    permission_classes = [RulePermission]
    rules = {"list": "monitoring.view_feedback", "create": "monitoring.log_feedback"}
    queryset = Feedback.objects.none()

    def _filters(self) -> dict:
        params = self.request.query_params
        return {"staff": params.get("staff") in ("1", "true"), "status": params.get("status", ""),
                "category": params.get("category", ""), "channel": params.get("channel", "")}

    def get_queryset(self):
        return selectors.feedback_list_for_user(user=self.request.user, **self._filters())

    @extend_schema(parameters=[OpenApiParameter("staff", bool), OpenApiParameter("status", str),
                               OpenApiParameter("category", str), OpenApiParameter("channel", str)])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        shown = selectors.feedback_shown(user=request.user, feedback=page or [], channel="api")
        return self.get_paginated_response(self.get_serializer(shown, many=True).data)

    @extend_schema(responses={200: FeedbackDetailSerializer})
    def retrieve(self, request, *args, **kwargs):
        feedback = selectors.feedback_detail_for_user(user=request.user, pk=kwargs["pk"], channel="api")
        return Response(FeedbackDetailSerializer(feedback).data)

    @extend_schema(request=FeedbackLogSerializer, responses={201: FeedbackListSerializer})
    def create(self, request, *args, **kwargs):
        serializer = FeedbackLogSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = selectors.case_by_number_for_user(user=request.user, number=data.pop("case_number"))
        feedback = services.feedback_log(by=request.user, case=case, **data)
        # The one who logged a complaint against staff does not read it back: the number only.
        return Response(FeedbackListSerializer(feedback).data if not feedback.against_staff
                        else {"id": feedback.pk, "number": feedback.number, "against_staff": True},
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=TextSerializer, responses={200: FeedbackDetailSerializer})
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        feedback = selectors.feedback_get_for_user(user=request.user, pk=pk)
        serializer = TextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.feedback_respond(feedback=feedback, by=request.user, text=serializer.validated_data["text"])
        return Response(FeedbackDetailSerializer(
            selectors.feedback_detail_for_user(user=request.user, pk=pk, channel="api")).data)

    @extend_schema(request=CloseSerializer, responses={200: FeedbackDetailSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        feedback = selectors.feedback_get_for_user(user=request.user, pk=pk)
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.feedback_close(feedback=feedback, by=request.user,
                                resolution=serializer.validated_data["resolution"])
        return Response(FeedbackDetailSerializer(
            selectors.feedback_detail_for_user(user=request.user, pk=pk, channel="api")).data)


class SatisfactionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Answers (``?step=``); POST records one after a finished step, or asks by SMS."""

    serializer_class = SatisfactionSerializer
    permission_classes = [RulePermission]
    rules = {"list": "monitoring.view_satisfaction", "create": "monitoring.record_satisfaction"}
    queryset = SatisfactionScore.objects.none()

    def get_queryset(self):
        return selectors.satisfaction_list_for_user(user=self.request.user,
                                                    step=self.request.query_params.get("step", ""))

    @extend_schema(request=SatisfactionRecordSerializer, responses={201: SatisfactionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = SatisfactionRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        obj = selectors.step_get_for_user(user=request.user, step=data["step"], pk=data["step_id"])
        if data["score"] is None:
            row = services.satisfaction_ask(by=request.user, step=data["step"], obj=obj)
        else:
            row = services.satisfaction_record(by=request.user, step=data["step"], obj=obj, score=data["score"],
                                               comment=data["comment"])
        return Response(SatisfactionSerializer(row).data, status=status.HTTP_201_CREATED)


class CommunityProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CommunityProjectSerializer
    permission_classes = [RulePermission]
    rules = {"list": "monitoring.view_community", "create": "monitoring.manage_community"}
    queryset = CommunityProject.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        return selectors.community_list_for_user(user=self.request.user, region=params.get("region", ""),
                                                 status=params.get("status", "")).prefetch_related("beneficiaries")

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(selectors.community_get_for_user(user=request.user,
                                                                             pk=kwargs["pk"])).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = services.community_project_create(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BeneficiaryCountSerializer(many=True), responses={200: CommunityProjectSerializer})
    @action(detail=True, methods=["post"])
    def beneficiaries(self, request, pk=None):
        project = selectors.community_get_for_user(user=request.user, pk=pk)
        serializer = BeneficiaryCountSerializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        counts = {(row["sex"], row["age_group"]): row["count"] for row in serializer.validated_data}
        services.community_beneficiaries_set(project=project, by=request.user, counts=counts)
        return Response(self.get_serializer(selectors.community_get_for_user(user=request.user, pk=pk)).data)


class AwarenessActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lists give the number of speakers; one activity names them (the read is logged)."""

    serializer_class = AwarenessActivitySerializer
    permission_classes = [RulePermission]
    rules = {"list": "monitoring.view_awareness", "create": "monitoring.manage_awareness"}
    queryset = AwarenessActivity.objects.none()

    def get_queryset(self):
        return selectors.awareness_list_for_user(user=self.request.user,
                                                 region=self.request.query_params.get("region", ""))

    def retrieve(self, request, *args, **kwargs):
        item = selectors.awareness_detail_for_user(user=request.user, pk=kwargs["pk"], channel="api")
        return Response(AwarenessActivitySerializer(item, context={"with_speakers": True}).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        speakers = selectors.speakers_for_user(user=request.user, case_numbers=data.pop("speaker_cases", []))
        item = services.awareness_activity_create(by=request.user, speakers=speakers, **data)
        shown = selectors.awareness_detail_for_user(user=request.user, pk=item.pk, channel="api")
        return Response(AwarenessActivitySerializer(shown, context={"with_speakers": True}).data,
                        status=status.HTTP_201_CREATED)


class FeedbackFiguresView(APIView):
    """Satisfaction, complaint handling and community figures (aggregates only)."""

    permission_classes = [RulePermission]
    rules = {"get": "monitoring.view_feedback_figures"}

    @extend_schema(parameters=[OpenApiParameter(name, str) for name in FIGURE_FILTERS], responses={200: dict})
    def get(self, request):
        filters = {name: request.query_params.get(name, "") for name in FIGURE_FILTERS}
        for name in ("date_from", "date_to"):
            try:
                filters[name] = parse_date(filters[name]) if filters[name] else None
            except ValueError:
                filters[name] = None
            if request.query_params.get(name) and filters[name] is None:
                raise ValidationError({name: ["Expected a date, YYYY-MM-DD."]})
        return Response({"feedback": selectors.feedback_figures(filters=filters),
                         "community": selectors.community_figures(filters=filters)})
