from django.urls import path

from . import views

urlpatterns = [
    path("release/", views.release_list, name="release_list"),
    path("release/new/", views.release_request, name="release_request"),
    path("release/<id:pk>/download/", views.release_download, name="release_download"),
    path("release/report/", views.donor_report, name="release_donor_report"),
    path("release/report.xlsx", views.donor_report_xlsx, name="release_donor_report_xlsx"),
    path("release/report.pdf", views.donor_report_pdf, name="release_donor_report_pdf"),
]
