from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mboa.core.api import RulePermission
from mboa.core.errors import ApplicationError
from mboa.core.sensitive import log_read

from .. import selectors, services
from ..matching import find_candidates
from ..models import Merge
from ..sensitive import PERSON_FIELDS_SHOWN
from .serializers import (
    CandidateSerializer,
    DuplicateSerializer,
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
    rules = {"list": "registry.view_people", "retrieve": "registry.view_people", "create": "registry.add_person",
             "match": "registry.view_people"}
    filter_backends: list = []

    def get_queryset(self):
        query = self.request.query_params.get("q", "")
        return selectors.person_list_for_user(user=self.request.user, query=query)

    def get_serializer_class(self):
        # Lists show who (name, sex, date of birth); documents, phones and address open
        # with the record, whose read is logged.
        return PersonSummarySerializer if self.action == "list" else PersonSerializer

    def retrieve(self, request, *args, **kwargs):
        person = selectors.person_get_for_user(user=request.user, person_id=kwargs["pk"])
        log_read(user=request.user, obj=person, fields=PERSON_FIELDS_SHOWN, channel="api")
        return Response(PersonSerializer(person).data)

    @extend_schema(request=PersonInputSerializer, responses={201: PersonSerializer})
    def create(self, request, *args, **kwargs):
        """Register a person. 400 with ``matches`` when probably registered already
        (send ``confirmed_new: true`` to register anyway; the pair is then reviewed)."""
        serializer = PersonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.person_create(by=request.user, source="registration", **serializer.service_arguments())
        person = selectors.person_get_for_user(user=request.user, person_id=person.pk)
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CandidateSerializer, responses={200: MatchSerializer(many=True)})
    @action(detail=False, methods=["post"])
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
        people = {p.pk: p for p in selectors.person_list_for_user(user=request.user).filter(
            pk__in=[m.person_id for m in matches])}
        rows = [{"person": people[m.person_id], "score": m.score, "reasons": m.reasons}
                for m in matches if m.person_id in people]
        return Response(MatchSerializer(rows, many=True).data)


class DuplicateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The review queue (case managers): ``?status=open|merged|different``."""

    serializer_class = DuplicateSerializer
    permission_classes = [RulePermission]
    rules = {"list": "registry.review_duplicates", "retrieve": "registry.review_duplicates",
             "merge": "registry.review_duplicates", "different": "registry.review_duplicates",
             "undo": "registry.review_duplicates"}
    filter_backends: list = []

    def get_queryset(self):
        return selectors.duplicate_list_for_user(user=self.request.user,
                                                 status=self.request.query_params.get("status", "open"))

    def get_object(self):
        duplicate = selectors.duplicate_get_for_user(user=self.request.user, duplicate_id=self.kwargs["pk"])
        self.check_object_permissions(self.request, duplicate)
        return duplicate

    @extend_schema(request=MergeInputSerializer, responses={200: DuplicateSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Same person: keep ``survivor``, merge the other into it."""
        duplicate = self.get_object()
        serializer = MergeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        survivor_id = serializer.validated_data["survivor"]
        pair = {duplicate.person_a_id: duplicate.person_a, duplicate.person_b_id: duplicate.person_b}
        if survivor_id not in pair:
            raise ApplicationError(_("The record to keep must be one of the pair."), field="survivor")
        merged = pair[duplicate.person_b_id if survivor_id == duplicate.person_a_id else duplicate.person_a_id]
        services.person_merge(survivor=pair[survivor_id], merged=merged, by=request.user, duplicate=duplicate,
                              reason=serializer.validated_data["reason"])
        return Response(DuplicateSerializer(self.get_object()).data)

    @extend_schema(request=ReasonSerializer, responses={200: DuplicateSerializer})
    @action(detail=True, methods=["post"])
    def different(self, request, pk=None):
        """Different people: remembered, never proposed again."""
        duplicate = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.duplicate_mark_different(duplicate=duplicate, by=request.user,
                                          note=serializer.validated_data["reason"])
        return Response(DuplicateSerializer(self.get_object()).data)

    @extend_schema(request=ReasonSerializer, responses={200: DuplicateSerializer})
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        """Undo the merge decided on this pair."""
        duplicate = self.get_object()
        merge = Merge.objects.filter(duplicate=duplicate, undone_at__isnull=True).first()
        if merge is None:
            raise ApplicationError(_("No merge to undo on this pair."))
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.merge_undo(merge=merge, by=request.user, reason=serializer.validated_data["reason"])
        return Response(DuplicateSerializer(self.get_object()).data)


