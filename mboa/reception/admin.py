"""Read-only: the GTA task template changes on its page (``template_item_save``), arrivals
and tasks through their workflows. Passengers (identity, health) are not in the admin."""

from django.contrib import admin

from mboa.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Arrival, GtaTask, TaskTemplate, TaskTemplateItem


class TaskTemplateItemInline(ReadOnlyInline):
    model = TaskTemplateItem
    fields = ["order", "code", "title_fr", "title_en", "responsible", "due_offset_hours", "charter_only"]


@admin.register(TaskTemplate)
class TaskTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "is_active", "updated_at"]
    inlines = [TaskTemplateItemInline]


@admin.register(Arrival)
class ArrivalAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "entry_point", "expected_at", "expected_people", "status", "mobilises_gta"]
    list_filter = ["status", "kind", "entry_point"]
    search_fields = ["reference", "flight_number"]


@admin.register(GtaTask)
class GtaTaskAdmin(ReadOnlyAdmin):
    list_display = ["arrival", "code", "structure", "due_at", "status", "done_by"]
    list_filter = ["status", "structure"]
