from django.contrib import admin

from .models import Message, Preference


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient_name", "address", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["recipient_name", "address", "subject", "idempotency_key"]
    readonly_fields = [f.name for f in Message._meta.fields]


admin.site.register(Preference)
