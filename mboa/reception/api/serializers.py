from rest_framework import serializers

from mboa.core.validators import note_length, plausible_date
from mboa.core.vocabulary import Vulnerability

from ..models import Arrival, GtaTask, Manifest, Passenger, ReceptionStep, StepCode


class ArrivalSerializer(serializers.ModelSerializer):
    expected_people = serializers.IntegerField(min_value=1, max_value=100_000)
    expected_at = serializers.DateTimeField(validators=[plausible_date])
    notes = serializers.CharField(required=False, allow_blank=True, validators=[note_length])

    class Meta:
        model = Arrival
        fields = ["id", "reference", "kind", "departure_country", "entry_point", "entry_point_detail", "flight_number",
                  "expected_at", "expected_people", "status", "mobilises_gta", "pocket_money_eligible",
                  "pocket_money_amount", "notes", "confirmed_at", "in_progress_at", "completed_at", "cancelled_at",
                  "updated_at"]
        read_only_fields = ["id", "status", "mobilises_gta", "confirmed_at", "in_progress_at", "completed_at",
                            "cancelled_at", "updated_at"]
        # Not the year 387 (whose local time, with its 1912 offset of +00:38:48, is no RFC 3339 date-time).
        extra_kwargs = {"expected_at": {"validators": [plausible_date]}}


class ArrivalTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["confirm", "start", "complete", "cancel"])
    note = serializers.CharField(required=False, allow_blank=True, default="", validators=[note_length])


class GtaTaskSerializer(serializers.ModelSerializer):
    arrival = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    structure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    done_by = serializers.StringRelatedField(allow_null=True)
    is_late = serializers.SerializerMethodField()

    class Meta:
        model = GtaTask
        fields = ["id", "arrival", "code", "title_fr", "title_en", "structure", "due_at", "status", "is_late",
                  "done_at", "done_by", "comment"]

    def get_is_late(self, task: GtaTask) -> bool:
        return task.is_late()


class GtaTaskCompleteSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ManifestSerializer(serializers.ModelSerializer):
    arrival = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = Manifest
        fields = ["id", "arrival", "file_name", "status", "analysis_state", "rows_imported", "possible_matches",
                  "mapping", "imported_at", "created_at"]


class ManifestImportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(required=False, default=False)
    mapping = serializers.JSONField(required=False, default=dict,
                                    help_text="{column index: field or 'ignore'} when headers differ")


class ManifestUploadSerializer(serializers.Serializer):
    arrival = serializers.SlugField()
    file = serializers.FileField()
    dry_run = serializers.BooleanField(required=False, default=False)
    mapping = serializers.JSONField(required=False, default=dict,
                                    help_text="{column index: field or 'ignore'} when headers differ")


class ReceptionStepSerializer(serializers.ModelSerializer):
    done_by_structure = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    destination_department = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = ReceptionStep
        fields = ["step", "done_at", "done_by_structure", "nationality_check", "needs_follow_up", "hotel", "nights",
                  "destination_town", "destination_department", "note"]


class ArrivalReturneeSerializer(serializers.ModelSerializer):
    """A returnee as the reader may see them (``selectors.shown_as`` blanked the rest)."""

    arrival = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    document_number = serializers.CharField(
        read_only=True, allow_null=True,
        help_text="Null for readers other than administrators, IOM case managers and the police (DGSN).")
    phone = serializers.CharField(
        read_only=True, allow_null=True,
        help_text="Null for readers other than administrators, IOM case managers and the police (DGSN).")
    vulnerability_remarks = serializers.CharField(
        read_only=True, allow_null=True, help_text="Health data: null for everyone but health staff.")
    vulnerabilities = serializers.ListField(
        child=serializers.ChoiceField(choices=Vulnerability.choices), read_only=True,
        help_text="The health codes (pregnant, medical, disability, mental_health) are listed for health staff only.")
    steps = ReceptionStepSerializer(many=True, read_only=True)
    pocket_money_paid = serializers.SerializerMethodField()

    class Meta:
        model = Passenger
        fields = ["id", "arrival", "number", "family_name", "given_names", "sex", "birth_year", "birth_month",
                  "birth_day", "place_of_birth", "nationality", "document_number", "phone", "vulnerability_remarks",
                  "vulnerabilities", "urgent", "match_status", "person", "case", "handed_over_at", "steps",
                  "pocket_money_paid"]

    def get_pocket_money_paid(self, passenger: Passenger) -> bool:
        return any(s.step == StepCode.POCKET_MONEY for s in passenger.steps.all())


class ArrivalReturneeDetailSerializer(ArrivalReturneeSerializer):
    """With the medical details, filled only for health staff (None for everyone else)."""

    medical = serializers.SerializerMethodField()

    class Meta(ArrivalReturneeSerializer.Meta):
        fields = [*ArrivalReturneeSerializer.Meta.fields, "medical", "match_candidates"]

    def get_medical(self, passenger: Passenger) -> dict | None:
        detail = self.context.get("medical")
        if detail is None:
            return None
        return {"findings": detail.findings, "vaccinations": detail.vaccinations,
                "hospital_referral": detail.hospital_referral}


class ReceptionStepInputSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=StepCode.choices)
    nationality_check = serializers.CharField(required=False, allow_blank=True)
    needs_follow_up = serializers.BooleanField(required=False, allow_null=True, default=None)
    findings = serializers.CharField(required=False, allow_blank=True)
    vaccinations = serializers.CharField(required=False, allow_blank=True)
    hospital_referral = serializers.BooleanField(required=False, default=False)
    hotel = serializers.CharField(required=False, allow_blank=True)
    nights = serializers.IntegerField(required=False, min_value=1, max_value=60)
    destination_town = serializers.CharField(required=False, allow_blank=True)
    destination_department = serializers.CharField(required=False, allow_blank=True)
    receipt = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReturneeVulnerabilityInputSerializer(serializers.Serializer):
    flags = serializers.ListField(child=serializers.ChoiceField(choices=Vulnerability.choices), allow_empty=True)
    urgent = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
