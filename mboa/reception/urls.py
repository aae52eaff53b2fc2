from django.urls import path

from .views import pages

app_name = "reception"
urlpatterns = [
    path("", pages.arrival_list, name="arrival_list"),
    path("new/", pages.arrival_create, name="arrival_create"),
    path("template/", pages.template_detail, name="template_detail"),
    path("tasks/<id:task_id>/done/", pages.task_complete, name="task_complete"),
    path("returnees/<id:passenger_id>/", pages.passenger_detail, name="passenger_detail"),
    path("returnees/<id:passenger_id>/steps/<str:step>/", pages.step_tick, name="step_tick"),
    path("returnees/<id:passenger_id>/vulnerability/", pages.passenger_vulnerability, name="passenger_vulnerability"),
    path("returnees/<id:passenger_id>/identity/", pages.passenger_identity, name="passenger_identity"),
    path("manifests/<id:manifest_id>/", pages.manifest_review, name="manifest_review"),
    path("<slug:reference>/", pages.arrival_detail, name="arrival_detail"),
    path("<slug:reference>/edit/", pages.arrival_edit, name="arrival_edit"),
    path("<slug:reference>/transition/<str:action>/", pages.arrival_action, name="arrival_action"),
    path("<slug:reference>/manifest/", pages.manifest_upload, name="manifest_upload"),
    path("<slug:reference>/returnees/", pages.passenger_list, name="passenger_list"),
    path("<slug:reference>/board/", pages.board, name="board"),
    path("<slug:reference>/stations/<str:step>/", pages.station, name="station"),
    path("<slug:reference>/hand-over/", pages.hand_over, name="hand_over"),
    path("<slug:reference>/report/", pages.report, name="report"),
    path("<slug:reference>/report.xlsx", pages.report_xlsx, name="report_xlsx"),
    path("<slug:reference>/report.pdf", pages.report_pdf, name="report_pdf"),
]
