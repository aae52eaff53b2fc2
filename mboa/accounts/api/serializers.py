from rest_framework import serializers

from ..models import User


class MeSerializer(serializers.ModelSerializer):
    structure = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "structure", "roles", "city", "language"]
        read_only_fields = ["id", "username", "structure", "roles"]

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_codes)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The key, shown once: Mboa keeps only its SHA-256 digest.")
    expires_at = serializers.DateTimeField()
