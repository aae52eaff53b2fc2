from django.contrib import admin

from .models import Activity, SensitiveAccess


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "verb", "actor", "actor_structure", "summary"]
    list_filter = ["verb", "actor_structure"]
    readonly_fields = [f.name for f in Activity._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "user", "target_type", "target_id", "channel", "purpose"]
    readonly_fields = [f.name for f in SensitiveAccess._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
