from django.contrib import admin

from .models import Counsellor, FormSchema, Sector, Supervisor


@admin.register(Counsellor)
class CounsellorAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "structure", "city", "is_active"]
    list_filter = ["kind", "city", "structure", "is_active"]
    raw_id_fields = ["user"]


@admin.register(Supervisor)
class SupervisorAdmin(admin.ModelAdmin):
    list_display = ["user"]
    raw_id_fields = ["user"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en"]


@admin.register(FormSchema)
class FormSchemaAdmin(admin.ModelAdmin):
    """Read-only here: questions are added through /cases/forms/ (a new version each time)."""

    list_display = ["kind", "version", "title", "is_current"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
