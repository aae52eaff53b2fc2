from django.urls import path

from .views import pages

app_name = "cases"
urlpatterns = [
    path("", pages.case_list, name="case_list"),
    path("new/", pages.case_open, name="case_open"),
    path("filters/", pages.saved_filter_save, name="saved_filter_save"),
    path("filters/<id:filter_id>/delete/", pages.saved_filter_delete, name="saved_filter_delete"),
    path("<id:case_id>/", pages.case_detail, name="case_detail"),
    path("<id:case_id>/status/", pages.case_transition, name="case_transition"),
    path("<id:case_id>/assign/", pages.case_assign, name="case_assign"),
    path("<id:case_id>/sessions/new/", pages.session_create, name="session_create"),
    path("<id:case_id>/assessments/<str:kind>/new/", pages.assessment_create, name="assessment_create"),
    path("<id:case_id>/consents/new/", pages.consent_create, name="consent_create"),
    path("<id:case_id>/consents/<id:consent_id>/withdraw/", pages.consent_withdraw, name="consent_withdraw"),
    path("<id:case_id>/household/new/", pages.household_add, name="household_add"),
    path("<id:case_id>/approvals/<str:kind>/", pages.approval_request, name="approval_request"),
    path("<id:case_id>/transfer/", pages.transfer_request, name="transfer_request"),
    path("<id:case_id>/trainings/enrol/", pages.training_enrol, name="training_enrol"),
    path("approvals/<id:approval_id>/decide/", pages.approval_decide, name="approval_decide"),
    path("transfers/<id:transfer_id>/decide/", pages.transfer_decide, name="transfer_decide"),
    path("caseload/", pages.my_caseload, name="my_caseload"),
    path("supervision/", pages.supervision, name="supervision"),
    path("niches/", pages.niche_list, name="niche_list"),
    path("niches/new/", pages.niche_edit, name="niche_create"),
    path("niches/import/", pages.niche_import, name="niche_import"),
    path("niches/<id:niche_id>/", pages.niche_edit, name="niche_edit"),
    path("trainings/", pages.training_list, name="training_list"),
    path("trainings/new/", pages.training_create, name="training_create"),
    path("trainings/<id:offer_id>/", pages.training_detail, name="training_detail"),
    path("enrolments/<id:enrolment_id>/", pages.enrolment_update, name="enrolment_update"),
    path("forms/", pages.form_list, name="form_list"),
]
