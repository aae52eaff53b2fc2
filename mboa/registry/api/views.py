"""The registry over the API: the same selectors (which log what an answer shows) and the
same services (which check the rule of each write) as the pages.

Writes are open to any signed-in user at this level: the object is fetched through the
selector (404 when the user may not see it) and the service decides (403 when the rule
refuses, 400 with the message when the domain does), so the page and the API answer alike.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from mboa.core.api import RulePermission

from .. import selectors, services
from ..finding import SearchLimitReached
from ..matching import find_candidates
from .serializers import (
    CandidateSerializer,
    DuplicateSerializer,
    FindQuerySerializer,
    FoundPersonSerializer,
    MatchSerializer,
    MergeInputSerializer,
    PersonInputSerializer,
    PersonSerializer,
    PersonSummarySerializer,
    ReasonSerializer,
)


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The registry. ``?q=`` searches names, other names, document and phone numbers.

    Every response showing identities is logged as a sensitive read.
    """

    serializer_class = PersonSerializer
    permission_classes = [RulePermission]
    rules = {"list": "registry.view_people", "retrieve": "registry.view_people", "match": "registry.view_people",
             "find": "registry.find_people"}
    filter_backends: list = []

    def get_permissions(self):
        if self.action == "create":  # person_create checks registry.add_person
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        query = self.request.query_params.get("q", "")
        return selectors.person_list_for_user(user=self.request.user, query=query)

    def get_serializer_class(self):
        # Lists show who (name, sex, date of birth); documents, phones and address open
        # with the record, whose read is logged.
        return PersonSummarySerializer if self.action == "list" else PersonSerializer

    def list(self, request, *args, **kwargs):
        page = selectors.people_page_for_user(user=request.user, query=request.query_params.get("q", ""),
                                              paginate=self.paginate_queryset, channel="api")
        return self.get_paginated_response(PersonSummarySerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        page = selectors.person_page_for_user(user=request.user, person_id=kwargs["pk"], channel="api")
        return Response(PersonSerializer(page.person).data)

    @extend_schema(request=PersonInputSerializer, responses={201: PersonSerializer})
    def create(self, request, *args, **kwargs):
        """Register a person. 400 with ``matches`` when probably registered already
        (send ``confirmed_new: true`` to register anyway; the pair is then reviewed)."""
        serializer = PersonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.person_create(by=request.user, source="registration", **serializer.service_arguments())
        page = selectors.person_page_for_user(user=request.user, person_id=person.pk, channel="api")
        return Response(PersonSerializer(page.person).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[FindQuerySerializer], responses={200: FoundPersonSerializer(many=True)})
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def find(self, request):
        """Find a returnee beyond one's cases (counsellors): ``?q=&reason=`` (``note=`` to explain;
        required when ``reason=other``). A minimal identity, at most 20 people; each search is
        logged with its reason; 429 past the hourly limit."""
        serializer = FindQuerySerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            found = selectors.people_find_for_user(user=request.user, query=data["q"], reason=data["reason"],
                                                   note=data["note"], channel="api")
        except SearchLimitReached as error:
            raise Throttled(detail=error.message) from None
        return Response(FoundPersonSerializer(found, many=True).data)

    @extend_schema(request=CandidateSerializer, responses={200: MatchSerializer(many=True)})
    @action(detail=False, methods=["post"], pagination_class=None)
    def match(self, request):
        """Who in the registry may be this person? Best first, with the reasons."""
        serializer = CandidateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        limit = data.pop("limit")
        try:
            matches = find_candidates(data, limit=limit)
        except ValueError:
            raise ValidationError({"date_of_birth": [_("Use YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY.")]}) from None
        people = selectors.people_shown_for_user(user=request.user, ids=[m.person_id for m in matches],
                                                 channel="api")
        rows = [{"person": people[m.person_id], "score": m.score, "reasons": m.reasons}
                for m in matches if m.person_id in people]
        return Response(MatchSerializer(rows, many=True).data)


class DuplicateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The review queue (case managers): ``?status=open|merged|different``."""

    serializer_class = DuplicateSerializer
    permission_classes = [RulePermission]
    rules = {"list": "registry.review_duplicates", "retrieve": "registry.review_duplicates"}
    filter_backends: list = []

    def get_queryset(self):
        return selectors.duplicate_list_for_user(user=self.request.user,
                                                 status=self.request.query_params.get("status", "open"))

    def list(self, request, *args, **kwargs):
        page = selectors.duplicates_page_for_user(user=request.user, status=request.query_params.get("status", "open"),
                                                  paginate=self.paginate_queryset, channel="api")
        return self.get_paginated_response(DuplicateSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self._answer(kwargs["pk"])

    def _pair(self, pk):
        return selectors.duplicate_get_for_user(user=self.request.user, duplicate_id=pk)

    def _answer(self, pk) -> Response:
        page = selectors.duplicate_page_for_user(user=self.request.user, duplicate_id=pk, channel="api")
        return Response(DuplicateSerializer(page.duplicate).data)

    @extend_schema(request=MergeInputSerializer, responses={200: DuplicateSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def merge(self, request, pk=None):
        """Same person: keep ``survivor``, merge the other into it."""
        duplicate = self._pair(pk)
        serializer = MergeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.duplicate_merge(duplicate=duplicate, survivor_id=serializer.validated_data["survivor"],
                                 by=request.user, reason=serializer.validated_data["reason"])
        return self._answer(pk)

    @extend_schema(request=ReasonSerializer, responses={200: DuplicateSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def different(self, request, pk=None):
        """Different people: remembered, never proposed again."""
        duplicate = self._pair(pk)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.duplicate_mark_different(duplicate=duplicate, by=request.user,
                                          note=serializer.validated_data["reason"])
        return self._answer(pk)

    @extend_schema(request=ReasonSerializer, responses={200: DuplicateSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def undo(self, request, pk=None):
        """Undo the merge decided on this pair."""
        duplicate = self._pair(pk)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.duplicate_merge_undo(duplicate=duplicate, by=request.user, reason=serializer.validated_data["reason"])
        return self._answer(pk)
