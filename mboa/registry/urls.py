from django.urls import path

from .views import pages

app_name = "registry"
urlpatterns = [
    path("", pages.person_list, name="person_list"),
    path("new/", pages.person_create, name="person_create"),
    path("find/", pages.person_find, name="person_find"),
    path("<id:person_id>/", pages.person_detail, name="person_detail"),
    path("duplicates/", pages.review_list, name="review_list"),
    path("duplicates/<id:duplicate_id>/", pages.review_detail, name="review_detail"),
    path("duplicates/<id:duplicate_id>/merge/", pages.review_merge, name="review_merge"),
    path("duplicates/<id:duplicate_id>/different/", pages.review_different, name="review_different"),
    path("merges/<id:merge_id>/undo/", pages.merge_undo, name="merge_undo"),
]
