"""Messages are not in the Django admin: who they went to and what they said may name a
returnee or carry health information (their pages read them for their recipients).
Preferences are read here; each user changes theirs on their page (``preference_update``)."""

from django.contrib import admin

from mboa.core.admin import ReadOnlyAdmin

from .models import Preference


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "email", "sms", "whatsapp"]
