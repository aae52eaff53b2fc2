from django.urls import path

from .views import pages

app_name = "registry"
urlpatterns = [
    path("", pages.person_list, name="person_list"),
    path("new/", pages.person_create, name="person_create"),
    path("<int:person_id>/", pages.person_detail, name="person_detail"),
    path("duplicates/", pages.review_list, name="review_list"),
    path("duplicates/<int:duplicate_id>/", pages.review_detail, name="review_detail"),
    path("duplicates/<int:duplicate_id>/merge/", pages.review_merge, name="review_merge"),
    path("duplicates/<int:duplicate_id>/different/", pages.review_different, name="review_different"),
    path("merges/<int:merge_id>/undo/", pages.merge_undo, name="merge_undo"),
]
