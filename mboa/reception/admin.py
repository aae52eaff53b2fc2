"""The GTA task template's items are edited here (the template page links to it), each
saved through ``services.template_item_save`` (its rule and activity); the template's own
name and state, arrivals and tasks are read-only (they change through their workflows).
Passengers (identity, health) are not in the admin."""

from django.contrib import admin, messages

from mboa.core.admin import ReadOnlyAdmin
from mboa.core.errors import ApplicationError

from . import services
from .models import Arrival, GtaTask, TaskTemplate, TaskTemplateItem

ITEM_FIELDS = ["order", "code", "title_fr", "title_en", "responsible", "due_offset_hours", "charter_only"]


class TaskTemplateItemInline(admin.TabularInline):
    model = TaskTemplateItem
    extra = 1
    can_delete = False  # no service removes an item
    fields = ITEM_FIELDS
    filter_horizontal = ["responsible"]


@admin.register(TaskTemplate)
class TaskTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "updated_at"]
    readonly_fields = ["name", "is_active"]
    inlines = [TaskTemplateItemInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        pass  # the template's own fields are read-only here

    def save_related(self, request, form, formsets, change) -> None:
        for formset in formsets:
            # What the admin's change message reads (formset.save() is not called).
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for item_form in formset.forms:
                if not item_form.has_changed() or not item_form.cleaned_data:
                    continue
                data = item_form.cleaned_data
                try:
                    services.template_item_save(
                        by=request.user, template=form.instance, data={k: data[k] for k in ITEM_FIELDS if k in data},
                        responsible=list(data.get("responsible") or []),
                        item=item_form.instance if item_form.instance.pk else None,
                    )
                except ApplicationError as error:
                    messages.error(request, f"{data.get('code', '')}: {error.message}")


@admin.register(Arrival)
class ArrivalAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "entry_point", "expected_at", "expected_people", "status", "mobilises_gta"]
    list_filter = ["status", "kind", "entry_point"]
    search_fields = ["reference", "flight_number"]


@admin.register(GtaTask)
class GtaTaskAdmin(ReadOnlyAdmin):
    list_display = ["arrival", "code", "structure", "due_at", "status", "done_by"]
    list_filter = ["status", "structure"]
