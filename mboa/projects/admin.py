"""Admin: read-only views for support; changes go through the pages and services."""

from django.contrib import admin

from mboa.core.admin import ReadOnlyAdmin

from .models import Determination, Dossier, Purchase, ValidationSession


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "kind", "status", "structure", "region", "budget_xaf"]
    list_filter = ["status", "kind", "region", "sector"]
    search_fields = ["reference", "title"]
    raw_id_fields = ["counsellor", "current_version"]


@admin.register(ValidationSession)
class ValidationSessionAdmin(ReadOnlyAdmin):
    list_display = ["reference", "body", "date", "place", "status"]
    filter_horizontal = ["reviewers"]


@admin.register(Determination)
class DeterminationAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "session", "outcome", "decided_by", "decided_at", "undone_at"]
    list_filter = ["outcome", "session"]
    raw_id_fields = ["dossier", "version", "batch", "resolves"]


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "description", "amount_xaf", "status"]
    list_filter = ["status"]
    raw_id_fields = ["dossier", "budget_line"]
