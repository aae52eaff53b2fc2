from django.urls import path

from .views import bodies, broadcasts, calendar, commitments, meetings

app_name = "governance"
urlpatterns = [
    path("", bodies.body_list, name="body_list"),
    # Meetings, decisions, commitments, calendar, broadcasts: before "<code>/" so they are not taken for a body.
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/<id:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<id:pk>/agenda/", meetings.agenda_add, name="agenda_add"),
    path("meetings/<id:pk>/held/", meetings.meeting_held, name="meeting_held"),
    path("meetings/<id:pk>/minutes/", meetings.meeting_minutes, name="meeting_minutes"),
    path("meetings/<id:pk>/attachments/<id:attachment_id>/", meetings.attachment_download,
         name="attachment_download"),
    path("meetings/<id:pk>/approve/", meetings.meeting_approve, name="meeting_approve"),
    path("meetings/<id:pk>/decisions/new/", meetings.decision_create, name="decision_create"),
    path("meetings/<id:pk>/briefing/", meetings.briefing_page, name="briefing"),
    path("meetings/<id:pk>/briefing.pdf", meetings.briefing_pdf, name="briefing_pdf"),
    path("decisions/<id:pk>/follow-up/", meetings.decision_follow_up, name="decision_follow_up"),
    path("commitments/", commitments.commitment_list, name="commitment_list"),
    path("commitments/stats/", commitments.commitment_stats, name="commitment_stats"),
    path("commitments/<id:pk>/", commitments.commitment_detail, name="commitment_detail"),
    path("commitments/<id:pk>/progress/", commitments.commitment_progress, name="commitment_progress"),
    path("commitments/<id:pk>/done/", commitments.commitment_done, name="commitment_done"),
    path("commitments/<id:pk>/drop/", commitments.commitment_drop, name="commitment_drop"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar.ics", calendar.calendar_ics, name="calendar_ics"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("broadcasts/<id:pk>/", broadcasts.broadcast_detail, name="broadcast_detail"),
    path("new/", bodies.body_create, name="body_create"),
    path("<str:code>/", bodies.body_detail, name="body_detail"),
    path("<str:code>/edit/", bodies.body_edit, name="body_edit"),
    path("<str:code>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("<str:code>/broadcast/", broadcasts.broadcast_create, name="broadcast_create"),
]
