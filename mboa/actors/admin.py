"""Structures and focal points change on their pages (services: rules, history, activity);
here they are read. Regions and departments are reference data edited here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mboa.core.admin import ReadOnlyAdminMixin

from .models import Department, FocalPoint, Region, Structure


@admin.register(Structure)
class StructureAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name_fr", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_fr", "name_en"]


@admin.register(FocalPoint)
class FocalPointAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["family_name", "given_names", "structure", "function", "start_date", "end_date"]
    list_filter = ["structure"]
    search_fields = ["family_name", "given_names", "email"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "capital"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "capital"]
    list_filter = ["region"]
