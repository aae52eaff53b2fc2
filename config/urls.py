from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from mboa.core.ids import IdConverter

# <id:pk>: record ids the database can hold (a 30-digit id is a 404, not a 500).
register_converter(IdConverter, "id")

urlpatterns = [
    path("", include("mboa.core.urls")),
    path("accounts/", include("mboa.accounts.urls")),
    path("structures/", include("mboa.actors.urls")),
    path("bodies/", include("mboa.governance.urls")),
    path("notifications/", include("mboa.notifications.urls")),
    path("people/", include("mboa.registry.urls")),
    path("cases/", include("mboa.cases.urls")),
    path("reception/", include("mboa.reception.urls")),
    path("referrals/", include("mboa.referrals.urls")),
    path("projects/", include("mboa.projects.urls")),
    path("monitoring/", include("mboa.monitoring.urls")),
    path("statistics/", include("mboa.statistics.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("config.api", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

handler400 = "mboa.core.views.bad_request"
handler403 = "mboa.core.views.permission_denied"
handler404 = "mboa.core.views.page_not_found"
handler500 = "mboa.core.views.server_error"

admin.site.site_header = "Mboa"
admin.site.site_title = "Mboa"
# No URL serves MEDIA_ROOT, in development or in production: every uploaded file is read
# through its record's download view, which checks the reader's right (mboa.core.uploads).
