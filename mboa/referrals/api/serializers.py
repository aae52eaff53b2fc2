"""API shapes. A referral has two read shapes: the sender's (with the case and the
consent) and the receiver's (only what travelled); the view picks one per user."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from mboa.actors.models import Structure
from mboa.core.uploads import DocumentSerializerField
from mboa.core.validators import plausible_date

from ..models import (
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementStatusChange,
    Party,
    Referral,
    ReferralStatusChange,
    Service,
    ServicePoint,
    SharedPart,
    Urgency,
)


class AgreementFigureSerializer(serializers.Serializer):
    """Per structure: its agreements, and the days the ball was with IOM and with it (an answer only)."""

    structure = serializers.CharField()
    agreements = serializers.IntegerField()
    signed = serializers.IntegerField()
    iom_days = serializers.FloatField()
    structure_days = serializers.FloatField()
    structure_share = serializers.FloatField(allow_null=True, help_text="None while no one has held the ball.")


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["code", "name_fr", "name_en", "description", "is_active"]


class ServicePointSerializer(serializers.ModelSerializer):
    structure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    services = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = ServicePoint
        fields = ["id", "code", "structure", "name", "kind", "town", "region", "address", "phone", "services",
                  "is_active"]


class ReferralListSerializer(serializers.ModelSerializer):
    """Lists carry no personal data: open one referral to read what travelled."""

    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    structure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sender_structure = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    service_point = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    covered = serializers.BooleanField(read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "number", "service", "structure", "service_point", "sender_structure", "urgency", "status",
                  "covered", "sent_at", "acknowledged_at", "accepted_at", "declined_at", "in_progress_at",
                  "delivered_at", "not_delivered_at", "closed_at", "withdrawn_at"]


class ReferralStepSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField(allow_null=True)
    by_structure = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = ReferralStatusChange
        fields = ["status", "at", "by", "by_structure", "note"]


class ReceiverReferralSerializer(ReferralListSerializer):
    """What the receiving structure sees: the referral and the data that travelled, as the
    selector gives it for the reader (``context["shown"]``, a ``selectors.ReferralDetail``):
    the health part only for the health staff addressed, ``health_sent`` for everyone."""

    history = ReferralStepSerializer(many=True, read_only=True)
    shared_data = serializers.SerializerMethodField()
    health_sent = serializers.SerializerMethodField()

    class Meta(ReferralListSerializer.Meta):
        fields = [*ReferralListSerializer.Meta.fields, "reason", "shared_parts", "shared_data", "health_sent",
                  "outcome_reason", "history"]

    def get_shared_data(self, obj) -> dict:
        shown = self.context.get("shown")
        return shown.shared if shown is not None else {}

    def get_health_sent(self, obj) -> bool:
        shown = self.context.get("shown")
        return bool(shown and shown.health_sent)


class SenderReferralSerializer(ReceiverReferralSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    agreement = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta(ReceiverReferralSerializer.Meta):
        fields = [*ReceiverReferralSerializer.Meta.fields, "case", "case_number", "agreement", "consent_checked",
                  "consent_override_reason", "from_reception"]


class ReferralSendSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    service = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.all())
    structure = serializers.SlugRelatedField(slug_field="code", queryset=Structure.objects.all())
    service_point = serializers.SlugRelatedField(slug_field="code", queryset=ServicePoint.objects.all(),
                                                 required=False, allow_null=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    reason = serializers.CharField()
    shared_parts = serializers.ListField(child=serializers.ChoiceField(choices=SharedPart.choices), default=list)
    health_details = serializers.CharField(required=False, allow_blank=True, default="")
    consent_override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    from_reception = serializers.BooleanField(default=False)


class ReferralTransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AgreementTransitionSerializer(ReferralTransitionSerializer):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None, validators=[plausible_date])
    ball_with = serializers.ChoiceField(choices=Party.choices, required=False, allow_null=True, default=None)


class AgreementPeriodSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = AgreementStatusChange
        fields = ["status", "ball_with", "entered_at", "left_at", "by", "note"]


class AgreementDocumentSerializer(serializers.ModelSerializer):
    """In: the file (a document by its content: PDF, office, PNG/JPEG). Out: where to
    download it (the agreement's download view, which checks the reader's right)."""

    file = DocumentSerializerField(label=_("File"))
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = AgreementDocument
        fields = ["id", "version", "title", "file", "download_url", "note", "created_at"]
        read_only_fields = ["id", "created_at"]
        # As on the page: without a version, the document starts the next one.
        extra_kwargs = {"version": {"required": False, "allow_null": True, "min_value": 1}}

    def get_download_url(self, obj) -> str:
        return reverse("referrals:agreement_document_download", args=[obj.agreement_id, obj.pk])


class AgreementSerializer(serializers.ModelSerializer):
    structure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    services = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = ["id", "reference", "structure", "kind", "subject", "services", "status", "ball_with", "ball_since",
                  "valid_from", "valid_until", "idea_at", "drafting_at", "sent_at", "under_review_at",
                  "comments_returned_at", "final_text_at", "signed_at", "in_force_at", "expired_at", "terminated_at"]


class AgreementDetailSerializer(AgreementSerializer):
    history = AgreementPeriodSerializer(many=True, read_only=True)
    documents = AgreementDocumentSerializer(many=True, read_only=True)
    time_spent = serializers.SerializerMethodField()

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "notes", "history", "documents", "time_spent"]

    def get_time_spent(self, obj) -> dict:
        from ..agreements import time_in_status

        return time_in_status(agreement=obj, periods=list(obj.history.all())).as_dict()


class AgreementWriteSerializer(serializers.Serializer):
    structure = serializers.SlugRelatedField(slug_field="code", queryset=Structure.objects.all())
    kind = serializers.ChoiceField(choices=AgreementKind.choices, default=AgreementKind.CONVENTION)
    subject = serializers.CharField(max_length=300)
    services = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.all(), many=True,
                                            required=False, default=list)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class AgreementUpdateSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=300, required=False)
    kind = serializers.ChoiceField(choices=AgreementKind.choices, required=False)
    services = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.all(), many=True,
                                            required=False)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)
