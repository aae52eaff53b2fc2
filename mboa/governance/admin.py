"""Bodies, meetings, decisions, commitments and broadcasts change on their pages (services:
rules, workflow, activity); here they are read."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mboa.core.admin import ReadOnlyAdmin, ReadOnlyAdminMixin, ReadOnlyInline

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


class MembershipInline(ReadOnlyInline):
    model = BodyMembership


@admin.register(Body)
class BodyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name_fr", "kind", "start_date", "end_date"]
    inlines = [MembershipInline]


class AgendaInline(ReadOnlyInline):
    model = AgendaItem
    fk_name = "meeting"


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "starts_at", "status"]
    list_filter = ["body", "status", "kind"]
    inlines = [AgendaInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "follow_up_status", "addressed_to"]
    list_filter = ["body", "kind", "follow_up_status"]


class UpdateInline(ReadOnlyInline):
    model = CommitmentUpdate


class EscalationInline(ReadOnlyInline):
    model = CommitmentEscalation


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "structure", "body", "deadline", "status"]
    list_filter = ["body", "status", "structure"]
    inlines = [UpdateInline, EscalationInline]


@admin.register(Broadcast)
class BroadcastAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "body", "channel", "subject", "sent_by"]
