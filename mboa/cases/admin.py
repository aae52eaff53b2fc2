"""Counsellors, supervisors and sectors are configuration edited here (an administrator does not
make themselves a counsellor or a supervisor); form schemas change
through /cases/forms/ (a new version each time). Cases, consents, assessments and sessions
(returnees' identity, health and psychosocial notes) are not in the admin."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from mboa.core.admin import ReadOnlyAdmin

from .models import Counsellor, FormSchema, Sector, Supervisor


class NotForOneselfAdmin(admin.ModelAdmin):
    """Being a counsellor or a supervisor opens cases (a psychosocial counsellor reads the most
    restricted notes): an administrator does not give it to themselves; another administrator does."""

    def save_model(self, request, obj, form, change) -> None:
        if obj.user_id == request.user.pk:
            messages.error(request, _("Another administrator gives you this responsibility, not yourself."))
            return
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        return self._refused(request) if obj.pk is None else super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._refused(request) if obj.user_id == request.user.pk else super().response_change(request, obj)

    def _refused(self, request):
        from django.http import HttpResponseRedirect

        return HttpResponseRedirect(request.path)


@admin.register(Counsellor)
class CounsellorAdmin(NotForOneselfAdmin):
    list_display = ["user", "kind", "structure", "city", "is_active"]
    list_filter = ["kind", "city", "structure", "is_active"]
    raw_id_fields = ["user"]


@admin.register(Supervisor)
class SupervisorAdmin(NotForOneselfAdmin):
    list_display = ["user"]
    raw_id_fields = ["user"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en"]


@admin.register(FormSchema)
class FormSchemaAdmin(ReadOnlyAdmin):
    """Read-only here: questions are added through /cases/forms/ (a new version each time)."""

    list_display = ["kind", "version", "title", "is_current"]
