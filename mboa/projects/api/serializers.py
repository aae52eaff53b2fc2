"""API shapes (input and output); the rules are in the services."""

from rest_framework import serializers

from ..models import (
    CRITERIA,
    VISIT_STATUSES,
    AgendaItem,
    BudgetLine,
    Dossier,
    DossierMember,
    DossierVersion,
    FollowUpVisit,
    MissedReason,
    Outcome,
    Purchase,
    Review,
    ValidationSession,
    VisitMode,
)


class BudgetLineSerializer(serializers.ModelSerializer):
    total_xaf = serializers.IntegerField(read_only=True)

    class Meta:
        model = BudgetLine
        fields = ["id", "item", "quantity", "unit_cost_xaf", "supplier", "total_xaf"]


class VersionSerializer(serializers.ModelSerializer):
    budget_lines = BudgetLineSerializer(many=True, read_only=True)

    class Meta:
        model = DossierVersion
        fields = ["number", "title", "sector", "filiere", "region", "department", "town", "description", "market",
                  "contributions", "contribution_xaf", "monthly_revenue_xaf", "monthly_costs_xaf", "risks",
                  "counsellor_opinion", "budget_xaf", "submitted_at", "budget_lines"]


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierMember
        fields = ["person", "is_returnee", "role", "family_name", "given_names", "sex", "returned_on"]


class DossierSerializer(serializers.ModelSerializer):
    structure = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Dossier
        fields = ["reference", "kind", "status", "structure", "title", "sector", "filiere", "region", "department",
                  "town", "budget_xaf", "women", "men", "submitted_at", "approved_at", "operating_status"]


class DossierDetailSerializer(DossierSerializer):
    current_version = VersionSerializer(read_only=True, allow_null=True)
    members = MemberSerializer(many=True, read_only=True)

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "current_version", "members"]


class SessionSerializer(serializers.ModelSerializer):
    body = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ValidationSession
        fields = ["reference", "body", "date", "place", "status", "minutes_status", "minutes_progress"]


class AgendaItemSerializer(serializers.ModelSerializer):
    dossier = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    status = serializers.CharField(source="dossier.status", read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "dossier", "status", "review_count", "score_mean", "score_spread",
                  "criteria_means"]


class ReviewInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    profitability = serializers.IntegerField()
    viability = serializers.IntegerField()
    relevance = serializers.IntegerField()
    feasibility = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "item", *CRITERIA, "combined", "scoring_version", "weights", "comment"]


class DetermineSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), allow_empty=False)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    amendments = serializers.ListField(child=serializers.DictField(child=serializers.CharField()), required=False,
                                       default=list)


class BatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    outcome = serializers.CharField()
    count = serializers.IntegerField()
    undo_until = serializers.DateTimeField()
    undone_at = serializers.DateTimeField(allow_null=True)


class PurchaseSerializer(serializers.ModelSerializer):
    dossier = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = Purchase
        fields = ["id", "dossier", "budget_line", "description", "supplier", "amount_xaf", "status", "ordered_on",
                  "delivered_on", "received_on", "received_by", "over_budget_reason"]
        read_only_fields = ["status", "ordered_on", "delivered_on", "received_on", "received_by",
                            "over_budget_reason"]


class PurchaseActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["submit", "approve", "deliver", "receive"])
    received_by = serializers.CharField(required=False, allow_blank=True, default="")
    over_budget_reason = serializers.CharField(required=False, allow_blank=True, default="")


class VisitSerializer(serializers.ModelSerializer):
    dossier = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    case = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    findings = serializers.CharField(source="notes", read_only=True)
    # Blank until the visit is made (or missed): declared so that the schema says so.
    mode = serializers.ChoiceField(choices=VisitMode.choices, allow_blank=True, read_only=True)
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in VISIT_STATUSES], allow_blank=True,
                                     read_only=True)
    missed_reason = serializers.ChoiceField(choices=MissedReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = FollowUpVisit
        fields = ["id", "dossier", "version", "case", "state", "milestone_months", "due_on", "assignee", "visited_on",
                  "mode", "status", "months_after", "findings", "missed_reason", "missed_note", "by"]
        read_only_fields = fields


class VisitRecordSerializer(serializers.Serializer):
    """A visit made. Only the shape: the service says what is missing (400 with its message)."""

    visited_on = serializers.DateField(required=False, allow_null=True, default=None)
    mode = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.CharField(required=False, allow_blank=True, default="")
    findings = serializers.CharField(required=False, allow_blank=True, default="")


class VisitCreateSerializer(VisitRecordSerializer):
    """A visit of a project recorded without choosing the planned one (it fulfils the one due)."""

    dossier = serializers.CharField(help_text="The dossier's reference.")


class VisitMissSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
