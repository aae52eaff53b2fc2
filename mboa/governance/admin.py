from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AgendaItem,
    Body,
    BodyMembership,
    Broadcast,
    Commitment,
    CommitmentEscalation,
    CommitmentUpdate,
    Decision,
    Meeting,
)


class MembershipInline(admin.TabularInline):
    model = BodyMembership
    extra = 1


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_fr", "kind", "start_date", "end_date"]
    inlines = [MembershipInline]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fk_name = "meeting"


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "starts_at", "status"]
    list_filter = ["body", "status", "kind"]
    inlines = [AgendaInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "follow_up_status", "addressed_to"]
    list_filter = ["body", "kind", "follow_up_status"]


class UpdateInline(admin.TabularInline):
    model = CommitmentUpdate
    extra = 0


class EscalationInline(admin.TabularInline):
    model = CommitmentEscalation
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["title", "structure", "body", "deadline", "status"]
    list_filter = ["body", "status", "structure"]
    inlines = [UpdateInline, EscalationInline]


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    list_display = ["created_at", "body", "channel", "subject", "sent_by"]
