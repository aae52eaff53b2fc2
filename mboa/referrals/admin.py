"""Administrators edit the service catalogue and service points here; referrals and
agreements are read here and changed only through the app's pages and API (services)."""

from django.contrib import admin

from .models import Agreement, AgreementStatusChange, Referral, ReferralStatusChange, Service, ServicePoint


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en", "is_active", "order"]
    list_editable = ["is_active", "order"]


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ["code", "structure", "name", "kind", "town", "region", "is_active"]
    list_filter = ["structure", "kind", "region", "is_active"]
    search_fields = ["code", "name", "town"]
    filter_horizontal = ["services"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AgreementPeriodInline(admin.TabularInline):
    model = AgreementStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["status", "ball_with", "entered_at", "left_at", "by", "note"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["reference", "structure", "subject", "status", "ball_with", "ball_since"]
    list_filter = ["status", "ball_with", "structure"]
    inlines = [AgreementPeriodInline]


class ReferralStepInline(admin.TabularInline):
    model = ReferralStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["status", "at", "by", "by_structure", "note"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    """Numbers, structures and statuses only: the data that travelled stays out of the admin."""

    list_display = ["number", "structure", "service", "status", "urgency", "sent_at"]
    list_filter = ["status", "urgency", "structure", "service"]
    fields = ["number", "structure", "service", "status", "urgency", "sent_at"]
    inlines = [ReferralStepInline]
