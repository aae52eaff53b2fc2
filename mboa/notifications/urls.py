from django.urls import path
from django.views.generic import RedirectView

from .views import pages

app_name = "notifications"
urlpatterns = [
    path("", pages.outbox, name="outbox"),
    path("<id:pk>/retry/", pages.message_retry, name="message_retry"),
    path("preferences/", pages.preferences, name="preferences"),
    # The broadcast pages moved to governance (a broadcast goes to a body's focal points):
    # their former addresses, in bookmarks and earlier messages, lead there.
    path("bodies/<str:code>/broadcast/", RedirectView.as_view(pattern_name="governance:broadcast_create",
                                                                permanent=True)),
    path("broadcasts/<id:pk>/", RedirectView.as_view(pattern_name="governance:broadcast_detail", permanent=True)),
]
