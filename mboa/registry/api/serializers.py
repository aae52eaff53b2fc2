from rest_framework import serializers

from ..finding import FIND_NOTE_MAX_LENGTH, FindReason
from ..models import DocumentKind, DuplicateCandidate, IdentityDocument, Person, PersonName, PersonPhone, Sex


class PersonNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonName
        fields = ["family_name", "given_names", "kind"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = IdentityDocument
        fields = ["kind", "number", "issuing_country", "expires_on"]


class PhoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonPhone
        fields = ["number", "note"]


class PersonSerializer(serializers.ModelSerializer):
    aliases = PersonNameSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    phones = PhoneSerializer(many=True, read_only=True)
    date_of_birth = serializers.CharField(source="date_of_birth_display", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "family_name", "given_names", "sex", "date_of_birth", "birth_year", "birth_month",
                  "birth_day", "birth_date_approximate", "place_of_birth", "place_of_birth_text", "nationality",
                  "address", "status", "merged_into", "aliases", "documents", "phones", "created_at", "updated_at"]
        read_only_fields = fields


class PersonSummarySerializer(serializers.ModelSerializer):
    date_of_birth = serializers.CharField(source="date_of_birth_display", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "family_name", "given_names", "sex", "date_of_birth", "status"]
        read_only_fields = fields


class DocumentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.OTHER)
    number = serializers.CharField(max_length=40)
    issuing_country = serializers.CharField(max_length=3, required=False, default="CM")


class PersonInputSerializer(serializers.Serializer):
    """Registration: the person, other names, documents and phones in one request."""

    family_name = serializers.CharField(max_length=120)
    given_names = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = serializers.CharField(required=False, allow_blank=True, default="",
                                          help_text="YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY, or YYYY")
    birth_date_approximate = serializers.BooleanField(required=False, default=False)
    place_of_birth = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None,
                                           help_text="department code, e.g. CE01")
    place_of_birth_text = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    nationality = serializers.CharField(max_length=3, required=False, allow_blank=True, default="CM")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list)
    documents = DocumentInputSerializer(many=True, required=False, default=list)
    phones = serializers.ListField(child=serializers.CharField(max_length=30), required=False, default=list)
    confirmed_new = serializers.BooleanField(required=False, default=False)

    def service_arguments(self) -> dict:
        data = dict(self.validated_data)
        extras = {key: data.pop(key) for key in ("aliases", "documents", "phones", "confirmed_new")}
        if not data.get("place_of_birth"):
            data["place_of_birth"] = None
        return {"data": data, **extras}


class CandidateSerializer(serializers.Serializer):
    """A candidate to match (all optional): the keys of ``matching.find_candidates``."""

    family_name = serializers.CharField(required=False, allow_blank=True)
    given_names = serializers.CharField(required=False, allow_blank=True)
    sex = serializers.CharField(required=False, allow_blank=True)
    date_of_birth = serializers.CharField(required=False, allow_blank=True)
    place_of_birth = serializers.CharField(required=False, allow_blank=True)
    nationality = serializers.CharField(required=False, allow_blank=True)
    document_number = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=50, default=10)


class MatchSerializer(serializers.Serializer):
    person = PersonSummarySerializer()
    score = serializers.FloatField()
    reasons = serializers.DictField(child=serializers.CharField())


class DuplicateSerializer(serializers.ModelSerializer):
    person_a = PersonSummarySerializer(read_only=True)
    person_b = PersonSummarySerializer(read_only=True)

    class Meta:
        model = DuplicateCandidate
        fields = ["id", "person_a", "person_b", "score", "reasons", "source", "status", "decided_at", "note",
                  "created_at"]
        read_only_fields = fields


class MergeInputSerializer(serializers.Serializer):
    survivor = serializers.IntegerField(help_text="id of the record to keep (one of the pair)")
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class FindQuerySerializer(serializers.Serializer):
    """“Find a returnee”: the query and the reason for looking (``note`` required for ``other``)."""

    q = serializers.CharField(max_length=100)
    reason = serializers.ChoiceField(choices=FindReason.choices)
    note = serializers.CharField(max_length=FIND_NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")


class FoundPersonSerializer(serializers.Serializer):
    """A person found by “find a returnee”: a minimal identity (no phone, document, full date of birth)."""

    id = serializers.IntegerField(read_only=True)
    family_name = serializers.CharField(read_only=True)
    given_names = serializers.CharField(read_only=True)
    birth_year = serializers.IntegerField(read_only=True, allow_null=True)
    region = serializers.CharField(read_only=True, help_text="region of birth, \"\" when unknown")
