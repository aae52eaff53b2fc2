from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from mboa.core.phones import normalize_phone

from ..models import FocalPoint, Structure


class StructureSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", queryset=Structure.objects.all(), allow_null=True,
                                          required=False)

    class Meta:
        model = Structure
        fields = ["id", "code", "name_fr", "name_en", "kind", "parent", "mandate", "is_active", "updated_at"]
        read_only_fields = ["id", "updated_at"]


class FocalPointSerializer(serializers.ModelSerializer):
    structure = serializers.SlugRelatedField(slug_field="code", queryset=Structure.objects.all())
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = FocalPoint
        fields = ["id", "structure", "title", "given_names", "family_name", "function", "email", "phone",
                  "phone_alt", "start_date", "end_date", "is_active", "updated_at"]
        read_only_fields = ["id", "updated_at"]

    def _phone(self, value: str) -> str:
        try:
            return normalize_phone(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate_phone(self, value: str) -> str:
        return self._phone(value)

    def validate_phone_alt(self, value: str) -> str:
        return self._phone(value)

    def validate(self, attrs: dict) -> dict:
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "The end date cannot be before the start date."})
        return attrs
