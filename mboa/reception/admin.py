"""Administrators edit the GTA task template here (and on the template page)."""

from django.contrib import admin

from .models import Arrival, GtaTask, TaskTemplate, TaskTemplateItem


class TaskTemplateItemInline(admin.TabularInline):
    model = TaskTemplateItem
    extra = 1
    fields = ["order", "code", "title_fr", "title_en", "responsible", "due_offset_hours", "charter_only"]
    filter_horizontal = ["responsible"]


@admin.register(TaskTemplate)
class TaskTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "updated_at"]
    inlines = [TaskTemplateItemInline]


@admin.register(Arrival)
class ArrivalAdmin(admin.ModelAdmin):
    # Read-only here: arrivals change through the pages (services, workflow, activity).
    list_display = ["reference", "kind", "entry_point", "expected_at", "expected_people", "status", "mobilises_gta"]
    list_filter = ["status", "kind", "entry_point"]
    search_fields = ["reference", "flight_number"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(GtaTask)
class GtaTaskAdmin(admin.ModelAdmin):
    list_display = ["arrival", "code", "structure", "due_at", "status", "done_by"]
    list_filter = ["status", "structure"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
