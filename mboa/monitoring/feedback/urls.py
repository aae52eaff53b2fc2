from django.urls import path

from . import views

urlpatterns = [
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("feedback/staff/", views.feedback_staff_list, name="feedback_staff_list"),
    path("feedback/new/", views.feedback_create, name="feedback_create"),
    path("feedback/<id:pk>/", views.feedback_detail, name="feedback_detail"),
    path("feedback/<id:pk>/respond/", views.feedback_respond, name="feedback_respond"),
    path("feedback/<id:pk>/close/", views.feedback_close, name="feedback_close"),
    path("feedback/satisfaction/", views.satisfaction_list, name="satisfaction_list"),
    path("feedback/satisfaction/<slug:step>/<id:pk>/", views.satisfaction_record, name="satisfaction_record"),
    path("feedback/community/", views.community_list, name="community_list"),
    path("feedback/community/new/", views.community_create, name="community_create"),
    path("feedback/community/<id:pk>/", views.community_detail, name="community_detail"),
    path("feedback/community/<id:pk>/beneficiaries/", views.community_beneficiaries,
         name="community_beneficiaries"),
    path("feedback/awareness/", views.awareness_list, name="awareness_list"),
    path("feedback/awareness/new/", views.awareness_create, name="awareness_create"),
    path("feedback/awareness/<id:pk>/", views.awareness_detail, name="awareness_detail"),
    path("feedback/sms/inbound/", views.sms_webhook, name="sms_webhook"),
]
