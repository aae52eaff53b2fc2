from django.urls import path

from .views import pages

app_name = "projects"
urlpatterns = [
    path("", pages.dossier_list, name="dossier_list"),
    path("new/", pages.dossier_create, name="dossier_create"),
    path("visits/", pages.visit_list, name="visit_list"),
    path("visits/<id:visit_id>/", pages.visit_detail, name="visit_detail"),
    path("visits/<id:visit_id>/record/", pages.visit_complete, name="visit_complete"),
    path("visits/<id:visit_id>/missed/", pages.visit_miss, name="visit_miss"),
    path("survival/", pages.survival, name="survival"),
    path("sessions/", pages.session_list, name="session_list"),
    path("sessions/<slug:reference>/", pages.session_detail, name="session_detail"),
    path("sessions/<slug:reference>/attendance/", pages.session_attendance, name="session_attendance"),
    path("sessions/<slug:reference>/reviewers/", pages.session_reviewers, name="session_reviewers"),
    path("sessions/<slug:reference>/agenda/", pages.agenda_add, name="agenda_add"),
    path("sessions/<slug:reference>/synthesis/", pages.session_synthesis, name="session_synthesis"),
    path("sessions/<slug:reference>/close/", pages.session_close, name="session_close"),
    path("sessions/<slug:reference>/determine/", pages.session_determine, name="session_determine"),
    path("sessions/<slug:reference>/batches/<id:batch_id>/undo/", pages.batch_undo, name="batch_undo"),
    path("sessions/<slug:reference>/items/<id:item_id>/", pages.item_detail, name="item_detail"),
    path("sessions/<slug:reference>/review/", pages.review_start, name="review"),
    path("sessions/<slug:reference>/review/<id:item_id>/", pages.review_item, name="review_item"),
    path("sessions/<slug:reference>/minutes/", pages.minutes, name="minutes"),
    path("sessions/<slug:reference>/minutes.pdf", pages.minutes_download, name="minutes_download"),
    path("<slug:reference>/", pages.dossier_detail, name="dossier_detail"),
    path("<slug:reference>/edit/", pages.dossier_edit, name="dossier_edit"),
    path("<slug:reference>/submit/", pages.dossier_submit, name="dossier_submit"),
    path("<slug:reference>/versions/", pages.dossier_diff, name="dossier_diff"),
    path("<slug:reference>/letter.pdf", pages.decision_letter, name="decision_letter"),
    path("<slug:reference>/amendments/<id:amendment_id>/tick/", pages.amendment_tick, name="amendment_tick"),
    path("<slug:reference>/approve-amended/", pages.amended_approve, name="amended_approve"),
    path("<slug:reference>/purchases/", pages.purchase_create, name="purchase_create"),
    path("<slug:reference>/purchases/<id:purchase_id>/proof/", pages.purchase_proof, name="purchase_proof"),
    path("<slug:reference>/purchases/<id:purchase_id>/<str:action>/", pages.purchase_action, name="purchase_action"),
    path("<slug:reference>/visits/", pages.visit_create, name="visit_create"),
]
