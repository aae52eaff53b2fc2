from django.urls import path

from .views import followup, pages

app_name = "governance"
urlpatterns = [
    path("", pages.body_list, name="body_list"),
    # Meetings, decisions, commitments, calendar (issue 8): before "<code>/" so they are not taken for a body.
    path("meetings/", followup.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", followup.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/agenda/", followup.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/held/", followup.meeting_held, name="meeting_held"),
    path("meetings/<int:pk>/minutes/", followup.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/approve/", followup.meeting_approve, name="meeting_approve"),
    path("meetings/<int:pk>/decisions/new/", followup.decision_create, name="decision_create"),
    path("meetings/<int:pk>/briefing/", followup.briefing_page, name="briefing"),
    path("meetings/<int:pk>/briefing.pdf", followup.briefing_pdf, name="briefing_pdf"),
    path("decisions/<int:pk>/follow-up/", followup.decision_follow_up, name="decision_follow_up"),
    path("commitments/", followup.commitment_list, name="commitment_list"),
    path("commitments/stats/", followup.commitment_stats, name="commitment_stats"),
    path("commitments/<int:pk>/", followup.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/progress/", followup.commitment_progress, name="commitment_progress"),
    path("commitments/<int:pk>/done/", followup.commitment_done, name="commitment_done"),
    path("commitments/<int:pk>/drop/", followup.commitment_drop, name="commitment_drop"),
    path("calendar/", followup.calendar_page, name="calendar"),
    path("calendar.ics", followup.calendar_ics, name="calendar_ics"),
    path("calendar/<str:token>.ics", followup.calendar_feed, name="calendar_feed"),
    path("new/", pages.body_create, name="body_create"),
    path("<str:code>/", pages.body_detail, name="body_detail"),
    path("<str:code>/edit/", pages.body_edit, name="body_edit"),
    path("<str:code>/meetings/new/", followup.meeting_create, name="meeting_create"),
]
