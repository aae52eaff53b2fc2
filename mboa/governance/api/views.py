"""Bodies, meetings, decisions, commitments and broadcasts over the API: the same
selectors and services as the pages. The services decide who may write (403) and what is
refused (400); objects come from the selectors, in the user's scope (404 outside it)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import broadcasts, commitments, meetings, selectors, services
from ..models import Body, Broadcast, Commitment, Decision, Meeting
from .serializers import (
    BodySerializer,
    BodyWriteSerializer,
    BroadcastSerializer,
    BroadcastWriteSerializer,
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


def _body(request, data: dict) -> Body:
    """The body named in the input, fetched for the user."""
    return selectors.body_get_for_user(user=request.user, code=data.pop("body").code)


class BodyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BodySerializer
    lookup_field = "code"
    filterset_fields = ["kind"]
    search_fields = ["code", "name_fr", "name_en"]
    queryset = Body.objects.none()

    def get_queryset(self):
        return selectors.body_list_for_user(user=self.request.user)

    def get_object(self):
        return selectors.body_get_for_user(user=self.request.user, code=self.kwargs["code"])

    @extend_schema(request=BodyWriteSerializer, responses={201: BodySerializer})
    def create(self, request, *args, **kwargs):
        serializer = BodyWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        members = data.pop("members", [])
        body = services.body_create(by=request.user, code=data.pop("code"), data=data, members=members)
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


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings of the bodies the user's structure sits on (all of them for the secretariat)."""

    filterset_fields = ["status", "kind"]
    queryset = Meeting.objects.none()

    def get_queryset(self):
        return selectors.meeting_list_for_user(user=self.request.user)

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def get_object(self):
        return selectors.meeting_get_for_user(user=self.request.user, meeting_id=self.kwargs["pk"])

    @extend_schema(request=MeetingWriteSerializer, responses={201: MeetingDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = MeetingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        meeting = meetings.meeting_create(by=request.user, body=_body(request, data), **data)
        return Response(MeetingDetailSerializer(meeting).data, status=status.HTTP_201_CREATED)


class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DecisionSerializer
    filterset_fields = ["kind", "follow_up_status"]
    search_fields = ["reference", "text"]
    queryset = Decision.objects.none()

    def get_queryset(self):
        return selectors.decision_list_for_user(user=self.request.user).prefetch_related(
            "commitments__structure", "commitments__body", "commitments__decision")

    @extend_schema(request=DecisionWriteSerializer, responses={201: DecisionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = DecisionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=data.pop("meeting"))
        decision = meetings.decision_record(meeting=meeting, by=request.user, **data)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class CommitmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CommitmentSerializer
    filterset_fields = ["status"]
    search_fields = ["title"]
    queryset = Commitment.objects.none()

    def get_queryset(self):
        mine = self.request.query_params.get("mine") in {"1", "true"}
        return selectors.commitment_list_for_user(user=self.request.user, mine=mine)

    def get_object(self):
        return selectors.commitment_get_for_user(user=self.request.user, commitment_id=self.kwargs["pk"])

    @extend_schema(request=CommitmentWriteSerializer, responses={201: CommitmentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = CommitmentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        commitment = commitments.commitment_create(by=request.user, body=_body(request, data), **data)
        return Response(CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)

    def _act(self, request, input_serializer, service) -> Response:
        """Parse the input, run ``service`` on the commitment (fetched for the user), answer it."""
        commitment = self.get_object()
        serializer = input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service(commitment=commitment, by=request.user, **serializer.validated_data)
        return Response(CommitmentSerializer(self.get_object()).data)

    @extend_schema(request=CommitmentProgressSerializer, responses={200: CommitmentSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        return self._act(request, CommitmentProgressSerializer, commitments.commitment_add_update)

    @extend_schema(request=CommitmentDoneSerializer, responses={200: CommitmentSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        return self._act(request, CommitmentDoneSerializer, commitments.commitment_mark_done)

    @extend_schema(request=CommitmentDropSerializer, responses={200: CommitmentSerializer})
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        return self._act(request, CommitmentDropSerializer, commitments.commitment_drop)


class BroadcastViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A body's broadcasts, each with its delivery to every person."""

    serializer_class = BroadcastSerializer
    queryset = Broadcast.objects.none()

    def get_queryset(self):
        return selectors.broadcast_list_for_user(user=self.request.user)

    def get_object(self):
        return selectors.broadcast_get_for_user(user=self.request.user, broadcast_id=self.kwargs["pk"])

    @extend_schema(request=BroadcastWriteSerializer, responses={201: BroadcastSerializer})
    def create(self, request, *args, **kwargs):
        serializer = BroadcastWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        broadcast = broadcasts.broadcast_send(body=_body(request, data), by=request.user, **data)
        return Response(BroadcastSerializer(broadcast).data, status=status.HTTP_201_CREATED)
