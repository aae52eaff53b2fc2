from django.urls import path

from .views import pages

app_name = "notifications"
urlpatterns = [
    path("", pages.outbox, name="outbox"),
    path("<int:pk>/retry/", pages.message_retry, name="message_retry"),
    path("preferences/", pages.preferences, name="preferences"),
    path("bodies/<str:code>/broadcast/", pages.broadcast_create, name="broadcast_create"),
    path("broadcasts/<int:pk>/", pages.broadcast_detail, name="broadcast_detail"),
]
