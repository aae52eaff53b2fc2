from django.urls import path

from .views import pages

app_name = "actors"
urlpatterns = [
    path("", pages.structure_list, name="structure_list"),
    path("new/", pages.structure_create, name="structure_create"),
    path("focal-points/<id:pk>/", pages.focal_point_edit, name="focal_point_edit"),
    path("<str:code>/", pages.structure_detail, name="structure_detail"),
    path("<str:code>/edit/", pages.structure_edit, name="structure_edit"),
    path("<str:code>/focal-points/new/", pages.focal_point_create, name="focal_point_create"),
]
