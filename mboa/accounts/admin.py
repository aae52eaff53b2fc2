"""Accounts in the Django admin: active flag, email, password. Names, structure, roles and
superuser status change on the accounts pages (/accounts/users/), through the services
that check who may (one's own structure or roles need a second administrator). Personal
API tokens are not shown at all (only their digests are stored anyway)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mboa.core.admin import ReadOnlyAdmin

from .models import Role, User

SERVICE_FIELDS = ("first_name", "last_name", "structure", "roles", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "structure", "is_active"]
    list_filter = ["structure", "roles", "is_active"]
    filter_horizontal = []
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        (_("Mboa"), {"fields": ("structure", "roles", "city", "phone", "language")}),
    )
    readonly_fields = [*SERVICE_FIELDS, "last_login", "date_joined"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # accounts are deactivated, never deleted (history names them)


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    """Reference data, loaded by a migration."""

    list_display = ["code", "description"]
