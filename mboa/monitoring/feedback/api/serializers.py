"""API shapes of feedback, satisfaction, community projects and awareness activities."""

from __future__ import annotations

from rest_framework import serializers

from mboa.actors.models import Region, Structure
from mboa.cases.models import Sector

from ..models import (
    AgeGroup,
    AudienceKind,
    AwarenessActivity,
    BeneficiarySex,
    Channel,
    CommunityProject,
    CommunityProjectStatus,
    Feedback,
    FeedbackCategory,
    FeedbackKind,
    FeedbackResponse,
    SatisfactionScore,
    Step,
)


class FeedbackListSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    case = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    person = serializers.SerializerMethodField()
    days_to_first_response = serializers.FloatField(read_only=True, allow_null=True)
    days_to_closure = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Feedback
        fields = ["id", "number", "kind", "channel", "category", "against_staff", "case", "person", "received_at",
                  "status", "first_response_at", "closed_at", "days_to_first_response", "days_to_closure"]

    def get_person(self, obj) -> str | None:
        return obj.person.full_name if obj.person_id else None


class FeedbackResponseSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField()

    class Meta:
        model = FeedbackResponse
        fields = ["at", "by", "text"]


class FeedbackDetailSerializer(FeedbackListSerializer):
    responses = FeedbackResponseSerializer(many=True, read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta(FeedbackListSerializer.Meta):
        fields = [*FeedbackListSerializer.Meta.fields, "text", "contact_phone", "region", "resolution", "responses"]


class FeedbackLogSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FeedbackKind.choices, default=FeedbackKind.COMPLAINT)
    channel = serializers.ChoiceField(choices=[c for c in Channel.choices if c[0] != Channel.SMS])
    category = serializers.SlugRelatedField(slug_field="code", queryset=FeedbackCategory.objects.filter(is_active=True))
    against_staff = serializers.BooleanField(default=False)
    text = serializers.CharField()
    case_number = serializers.CharField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class TextSerializer(serializers.Serializer):
    text = serializers.CharField()


class CloseSerializer(serializers.Serializer):
    resolution = serializers.CharField()


class SatisfactionSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = SatisfactionScore
        fields = ["id", "step", "case", "score", "comment", "channel", "code", "asked_at", "answered_at"]


class SatisfactionRecordSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=Step.choices)
    step_id = serializers.IntegerField(min_value=1, help_text="The reception (arrival returnee), referral, "
                                                              "project dossier or training enrolment.")
    score = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True, default=None,
                                     help_text="Empty: ask by SMS (the answer gives the code).")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CommunityProjectSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    sector = serializers.SlugRelatedField(slug_field="code", queryset=Sector.objects.all(), required=False,
                                          allow_null=True)
    structure = serializers.SlugRelatedField(slug_field="code", queryset=Structure.objects.all(), required=False,
                                             allow_null=True)
    status = serializers.ChoiceField(choices=CommunityProjectStatus.choices, default=CommunityProjectStatus.PLANNED)
    beneficiaries = serializers.SerializerMethodField()

    class Meta:
        model = CommunityProject
        fields = ["id", "reference", "title", "description", "region", "town", "sector", "structure", "status",
                  "started_on", "ended_on", "budget_xaf", "returnees", "beneficiaries"]
        read_only_fields = ["id", "reference", "beneficiaries"]

    def get_beneficiaries(self, obj) -> list[dict]:
        return [{"sex": b.sex, "age_group": b.age_group, "count": b.count} for b in obj.beneficiaries.all()]


class BeneficiaryCountSerializer(serializers.Serializer):
    sex = serializers.ChoiceField(choices=BeneficiarySex.choices)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)
    count = serializers.IntegerField(min_value=0, max_value=1_000_000)


class AwarenessActivitySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    structure = serializers.SlugRelatedField(slug_field="code", queryset=Structure.objects.all(), required=False,
                                             allow_null=True)
    audience_kind = serializers.ChoiceField(choices=AudienceKind.choices)
    speakers = serializers.SerializerMethodField()
    speaker_cases = serializers.ListField(child=serializers.CharField(), write_only=True, required=False,
                                          default=list, help_text="Case numbers of the returnees who spoke.")

    class Meta:
        model = AwarenessActivity
        fields = ["id", "reference", "title", "held_on", "region", "place", "audience_kind", "audience_size",
                  "structure", "notes", "speakers", "speaker_cases"]
        read_only_fields = ["id", "reference", "speakers"]

    def get_speakers(self, obj) -> list[str]:
        return [p.full_name for p in obj.speakers.all()] if self.context.get("with_speakers") else []
