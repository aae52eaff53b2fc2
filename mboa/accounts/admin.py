from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Role, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "structure", "is_active"]
    list_filter = ["structure", "roles", "is_active"]
    filter_horizontal = ["roles", "groups", "user_permissions"]
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Mboa"), {"fields": ("structure", "roles", "city", "phone", "language")}))


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "description"]
