"""Administrators edit the service catalogue and service points here (reference data without
a service); agreements are read here and changed only through the app's pages and API
(services). Referrals (a returnee's identity and the health details that travelled) are not
in the admin: they are read on their pages, which log the read."""

from django.contrib import admin

from mboa.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Agreement, AgreementStatusChange, Service, ServicePoint


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


class AgreementPeriodInline(ReadOnlyInline):
    model = AgreementStatusChange
    readonly_fields = ["status", "ball_with", "entered_at", "left_at", "by", "note"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["reference", "structure", "subject", "status", "ball_with", "ball_since"]
    list_filter = ["status", "ball_with", "structure"]
    inlines = [AgreementPeriodInline]
