from rest_framework import serializers

from mboa.actors.models import Structure

from ..models import Body, BodyMembership, MemberRole


class MembershipSerializer(serializers.ModelSerializer):
    structure = serializers.SlugRelatedField(slug_field="code", queryset=Structure.objects.all())
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.MEMBER)

    class Meta:
        model = BodyMembership
        fields = ["structure", "role", "start_date", "end_date"]
        read_only_fields = ["start_date", "end_date"]


class BodySerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()

    class Meta:
        model = Body
        fields = ["id", "code", "name_fr", "name_en", "kind", "mandate", "start_date", "end_date", "members",
                  "updated_at"]
        read_only_fields = ["id", "updated_at"]

    def get_members(self, body: Body) -> list[dict]:
        memberships = getattr(body, "current_memberships", None)
        if memberships is None:
            memberships = body.memberships.filter(end_date__isnull=True).select_related("structure")
        return [{"structure": m.structure.code, "role": m.role, "start_date": m.start_date} for m in memberships]


class BodyWriteSerializer(serializers.ModelSerializer):
    members = MembershipSerializer(many=True, required=False)

    class Meta:
        model = Body
        fields = ["code", "name_fr", "name_en", "kind", "mandate", "start_date", "end_date", "members"]

    def validate_members(self, members: list[dict]) -> list[dict]:
        codes = [m["structure"].code for m in members]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise serializers.ValidationError(f"Listed twice: {', '.join(duplicates)}")
        return members

    def validate(self, attrs: dict) -> dict:
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "The end date cannot be before the start date."})
        return attrs
