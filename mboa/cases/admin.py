"""Counsellors, supervisors and sectors are configuration edited here; form schemas change
through /cases/forms/ (a new version each time). Cases, consents, assessments and sessions
(returnees' identity, health and psychosocial notes) are not in the admin."""

from django.contrib import admin

from mboa.core.admin import ReadOnlyAdmin

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
class FormSchemaAdmin(ReadOnlyAdmin):
    """Read-only here: questions are added through /cases/forms/ (a new version each time)."""

    list_display = ["kind", "version", "title", "is_current"]
