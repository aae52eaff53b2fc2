from django.urls import path

from .views import pages

app_name = "referrals"
urlpatterns = [
    path("", pages.board, name="board"),
    path("inbox/", pages.inbox, name="inbox"),
    path("delays/", pages.delays_report, name="delays"),
    path("delays/to-agenda/", pages.overdue_to_agenda, name="overdue_to_agenda"),
    path("services/", pages.catalogue, name="catalogue"),
    path("case/<id:case_id>/", pages.case_tab, name="case_tab"),
    path("case/<id:case_id>/new/", pages.send, name="send"),
    path("<id:pk>/", pages.detail, name="detail"),
    path("<id:pk>/act/", pages.act, name="act"),
    path("agreements/", pages.agreement_list, name="agreement_list"),
    path("agreements/new/", pages.agreement_create, name="agreement_create"),
    path("agreements/escalation/", pages.escalation, name="escalation"),
    path("agreements/escalation/to-agenda/", pages.escalation_to_agenda, name="escalation_to_agenda"),
    path("agreements/<id:pk>/", pages.agreement_detail, name="agreement_detail"),
    path("agreements/<id:pk>/act/", pages.agreement_act, name="agreement_act"),
    path("agreements/<id:pk>/documents/", pages.agreement_document, name="agreement_document"),
    path("agreements/<id:pk>/documents/<id:document_id>/", pages.agreement_document_download,
         name="agreement_document_download"),
]
