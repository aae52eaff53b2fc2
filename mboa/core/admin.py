"""The Django admin offers nothing that goes around a rule the pages enforce.

Every model whose writes have a service (rules, activity, workflow) is read-only here
(:class:`ReadOnlyAdmin`): it changes through its pages and API. Models holding returnees'
identity or health data are not registered at all (the admin writes no read-log row);
what is registered shows neither. ``mboa/core/tests/test_admin.py`` holds it.
"""

from django.contrib import admin

from .models import Activity, SensitiveAccess


class ReadOnlyAdminMixin:
    """No add, change or delete: the records are read here and written by their services."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    """Who did what and when; the summary and data (which may name a returnee) stay out."""

    list_display = ["occurred_at", "verb", "actor_name", "actor_structure", "target_type", "target_id"]
    list_filter = ["verb", "actor_structure"]
    fields = ["occurred_at", "verb", "actor", "actor_name", "actor_structure", "target_type", "target_id",
              "subject_type", "subject_id", "sensitive"]


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(ReadOnlyAdmin):
    """The read log: nobody deletes or changes a row of it."""

    list_display = ["occurred_at", "user", "target_type", "target_id", "channel", "purpose"]
