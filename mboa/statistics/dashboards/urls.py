from django.urls import path

from . import views

urlpatterns = [
    path("dashboards/", views.dashboard, name="dashboards_index"),
    path("dashboards/figures.xlsx", views.dashboard_xlsx, name="dashboards_xlsx"),
    path("dashboards/ownership/", views.ownership, name="dashboards_ownership"),
    path("dashboards/ownership.xlsx", views.ownership_xlsx, name="dashboards_ownership_xlsx"),
    path("dashboards/reports/", views.reports, name="dashboards_reports"),
]
