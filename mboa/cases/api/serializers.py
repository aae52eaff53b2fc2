from rest_framework import serializers

from mboa.actors.models import Region, Structure
from mboa.core.validators import plausible_date

from ..models import (
    Assessment,
    AssessmentKind,
    Case,
    ClosureReason,
    ConsentMethod,
    ConsentPurpose,
    CounsellingSession,
    Filiere,
    Niche,
    SessionKind,
    TrainingOffer,
)


class CaseSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    owner = serializers.StringRelatedField(allow_null=True)
    insertion_counsellor = serializers.StringRelatedField(allow_null=True)
    psychosocial_counsellor = serializers.StringRelatedField(allow_null=True)
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices, allow_blank=True, read_only=True)
    vulnerabilities = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "number", "person", "person_name", "status", "city", "arrival_date", "arrival_reference",
                  "owner", "insertion_counsellor", "psychosocial_counsellor", "next_due_on", "opened_at",
                  "closed_at", "closure_reason", "previous_case", "reopen_count", "vulnerabilities"]
        read_only_fields = fields

    def get_vulnerabilities(self, case) -> list[str]:
        return [v.category for v in case.vulnerabilities.all()]


class TimelineEventSerializer(serializers.Serializer):
    """One event of a case's timeline (an answer only)."""

    occurred_at = serializers.DateTimeField()
    verb = serializers.CharField()
    summary = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    structure = serializers.CharField(allow_null=True)


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    case = serializers.IntegerField(write_only=True, min_value=1, max_value=2**63 - 1)
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    structure = serializers.SerializerMethodField()
    structures = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Structure.objects.all(),
                                              write_only=True, required=False)
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    witness_name = serializers.CharField(required=False, allow_blank=True, default="")
    given_on = serializers.DateField(required=False)
    withdrawn_on = serializers.DateField(read_only=True, allow_null=True)

    def get_structure(self, consent) -> str | None:
        return consent.structure.code if consent.structure_id else None


def case_id_field() -> serializers.IntegerField:
    """The case a record is written on, by id: the view fetches it for the user (404 when
    they may not see it), as the pages do."""
    return serializers.IntegerField(source="case_id", min_value=1, max_value=2**63 - 1)


class AssessmentSerializer(serializers.ModelSerializer):
    case = case_id_field()
    form_version = serializers.IntegerField(source="form.version", read_only=True)
    kind = serializers.ChoiceField(choices=AssessmentKind.choices)
    answers = serializers.DictField()
    assessed_on = serializers.DateField(required=False)

    class Meta:
        model = Assessment
        fields = ["id", "case", "kind", "form_version", "answers", "assessed_on"]


class CounsellingSessionSerializer(serializers.ModelSerializer):
    """``notes`` is returned only to those who may read them (psychosocial notes: the
    psychosocial counsellors and the case manager); each read is logged by the selector."""

    case = case_id_field()
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    # None when notes_restricted: the notes exist but the user may not read them.
    notes = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="")
    notes_restricted = serializers.SerializerMethodField()

    class Meta:
        model = CounsellingSession
        fields = ["id", "case", "kind", "held_on", "notes", "notes_restricted", "next_appointment_at", "counsellor"]
        read_only_fields = ["counsellor"]
        extra_kwargs = {"held_on": {"validators": [plausible_date]},
                        "next_appointment_at": {"validators": [plausible_date]}}

    def validate_notes(self, value: str | None) -> str:
        return value or ""  # null (as the answers show withheld notes) is no notes

    def get_notes_restricted(self, session) -> bool:
        return session.pk in self.context.get("hidden_notes", set())

    def to_representation(self, session):
        data = super().to_representation(session)
        if session.pk in self.context.get("hidden_notes", set()):
            data["notes"] = None
        return data


class NicheSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    filiere = serializers.SlugRelatedField(slug_field="code", queryset=Filiere.objects.all())
    sector = serializers.CharField(source="sector_id", read_only=True)

    class Meta:
        model = Niche
        fields = ["id", "region", "department", "sector", "filiere", "rationale", "investment_min_xaf",
                  "investment_max_xaf", "source", "source_date", "is_example"]
        read_only_fields = ["is_example"]


class TrainingOfferSerializer(serializers.ModelSerializer):
    provider = serializers.SlugRelatedField(slug_field="code", read_only=True)
    filiere = serializers.SlugRelatedField(slug_field="code", queryset=Filiere.objects.all(), required=False,
                                           allow_null=True)

    class Meta:
        model = TrainingOffer
        fields = ["id", "title", "kind", "provider", "provider_name", "filiere", "place", "city", "start_date",
                  "end_date", "capacity"]
