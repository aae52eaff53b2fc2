from django.urls import path

from . import views

urlpatterns = [
    path("surveys/", views.catalog_page, name="survey_catalog"),
    path("surveys/template.xlsx", views.catalog_template, name="survey_catalog_template"),
    path("surveys/definition/", views.catalog_upload, name="survey_catalog_upload"),
    path("surveys/versions/<id:pk>/xlsform/", views.xlsform_download, name="survey_xlsform"),
    path("surveys/weights/<id:pk>/adopt/", views.weights_adopt, name="survey_weights_adopt"),
    path("surveys/import/", views.submissions_upload, name="survey_import"),
    path("surveys/case/<id:case_id>/", views.case_page, name="survey_case"),
    path("surveys/<id:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/cohorts/", views.cohorts_page, name="survey_cohorts"),
]
