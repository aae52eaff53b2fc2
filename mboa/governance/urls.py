from django.urls import path

from .views import pages

app_name = "governance"
urlpatterns = [
    path("", pages.body_list, name="body_list"),
    path("new/", pages.body_create, name="body_create"),
    path("<str:code>/", pages.body_detail, name="body_detail"),
    path("<str:code>/edit/", pages.body_edit, name="body_edit"),
]
