from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Body, BodyMembership


class MembershipInline(admin.TabularInline):
    model = BodyMembership
    extra = 1


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_fr", "kind", "start_date", "end_date"]
    inlines = [MembershipInline]
