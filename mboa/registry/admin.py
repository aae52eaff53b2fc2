"""Read-only admin views of the registry: every change goes through the services (they keep
the matcher's keys in step and record the activity), i.e. through the pages and the API."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DuplicateCandidate, Merge, Person


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["id", "family_name", "given_names", "sex", "birth_year", "status"]
    list_filter = ["status", "sex"]
    search_fields = ["=id", "family_name", "given_names"]
    exclude = ["match_profile"]


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "person_a", "person_b", "score", "source", "status", "decided_at"]
    list_filter = ["status", "source"]


@admin.register(Merge)
class MergeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "merged", "survivor", "by", "created_at", "undone_at"]
