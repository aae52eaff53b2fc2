from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from mboa.core.api import RulePermission

from .. import selectors, services
from ..models import Body
from .serializers import BodySerializer, BodyWriteSerializer


class BodyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BodySerializer
    permission_classes = [RulePermission]
    rules = {"create": "governance.add_body", "update": "governance.change_body"}
    lookup_field = "code"
    filterset_fields = ["kind"]
    search_fields = ["code", "name_fr", "name_en"]
    queryset = Body.objects.none()

    def get_queryset(self):
        return selectors.body_list_for_user(user=self.request.user)

    @extend_schema(request=BodyWriteSerializer, responses={201: BodySerializer})
    def create(self, request, *args, **kwargs):
        serializer = BodyWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        members = data.pop("members", [])
        code = data.pop("code")
        body = services.body_create(by=request.user, code=code, data=data, members=members)
        body = selectors.body_get_for_user(user=request.user, code=body.code)
        return Response(BodySerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BodyWriteSerializer, responses={200: BodySerializer})
    def partial_update(self, request, *args, **kwargs):
        body = self.get_object()
        serializer = BodyWriteSerializer(body, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("code", None)
        members = data.pop("members", None)
        services.body_update(body=body, by=request.user, data=data, members=members)
        body = selectors.body_get_for_user(user=request.user, code=body.code)
        return Response(BodySerializer(body).data)


# --- Meetings, decisions, commitments (issue 8) ---------------------------------------------

from rest_framework.decorators import action  # noqa: E402

from .. import commitments as commitment_services  # noqa: E402
from .. import meetings as meeting_services  # noqa: E402
from .. import queries  # noqa: E402
from ..models import Commitment, Decision, Meeting  # noqa: E402
from .serializers import (  # noqa: E402
    CommitmentDoneSerializer,
    CommitmentDropSerializer,
    CommitmentProgressSerializer,
    CommitmentSerializer,
    CommitmentWriteSerializer,
    DecisionSerializer,
    DecisionWriteSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    MeetingWriteSerializer,
)


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings of the bodies the user's structure sits on (all of them for the secretariat)."""

    permission_classes = [RulePermission]
    rules = {"list": "governance.view_meetings", "retrieve": "governance.view_meetings",
             "create": "governance.manage_meetings"}
    filterset_fields = ["status", "kind"]
    queryset = Meeting.objects.none()

    def get_queryset(self):
        return queries.meeting_list_for_user(user=self.request.user)

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def get_object(self):
        return queries.meeting_get_for_user(user=self.request.user, meeting_id=self.kwargs["pk"])

    @extend_schema(request=MeetingWriteSerializer, responses={201: MeetingDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = MeetingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        meeting = meeting_services.meeting_create(by=request.user, **data)
        return Response(MeetingDetailSerializer(meeting).data, status=status.HTTP_201_CREATED)


class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DecisionSerializer
    permission_classes = [RulePermission]
    rules = {"create": "governance.manage_meetings"}
    filterset_fields = ["kind", "follow_up_status"]
    search_fields = ["reference", "text"]
    queryset = Decision.objects.none()

    def get_queryset(self):
        return queries.decision_list_for_user(user=self.request.user).prefetch_related(
            "commitments__structure", "commitments__body", "commitments__decision")

    @extend_schema(request=DecisionWriteSerializer, responses={201: DecisionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = DecisionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        meeting = queries.meeting_get_for_user(user=request.user, meeting_id=data.pop("meeting"))
        decision = meeting_services.decision_record(meeting=meeting, by=request.user, **data)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class CommitmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CommitmentSerializer
    permission_classes = [RulePermission]
    # The actions' object-level rules are checked by the services (update_commitment,
    # manage_meetings) after the scoped fetch, which answers 404 outside the user's bodies.
    rules = {"create": "governance.manage_meetings", "progress": "governance.view_commitment",
             "done": "governance.view_commitment", "drop": "governance.view_commitment"}
    filterset_fields = ["status"]
    search_fields = ["title"]
    queryset = Commitment.objects.none()

    def get_queryset(self):
        mine = self.request.query_params.get("mine") in {"1", "true"}
        return queries.commitment_list_for_user(user=self.request.user, mine=mine)

    def get_object(self):
        return queries.commitment_get_for_user(user=self.request.user, commitment_id=self.kwargs["pk"])

    @extend_schema(request=CommitmentWriteSerializer, responses={201: CommitmentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = CommitmentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        commitment = commitment_services.commitment_create(by=request.user, **serializer.validated_data)
        return Response(CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommitmentProgressSerializer, responses={200: CommitmentSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        commitment = self.get_object()
        serializer = CommitmentProgressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        commitment_services.commitment_add_update(commitment=commitment, by=request.user, **serializer.validated_data)
        return Response(CommitmentSerializer(self.get_object()).data)

    @extend_schema(request=CommitmentDoneSerializer, responses={200: CommitmentSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        commitment = self.get_object()
        serializer = CommitmentDoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        commitment_services.commitment_mark_done(commitment=commitment, by=request.user, **serializer.validated_data)
        return Response(CommitmentSerializer(self.get_object()).data)

    @extend_schema(request=CommitmentDropSerializer, responses={200: CommitmentSerializer})
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        commitment = self.get_object()
        serializer = CommitmentDropSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        commitment_services.commitment_drop(commitment=commitment, by=request.user, **serializer.validated_data)
        return Response(CommitmentSerializer(self.get_object()).data)
