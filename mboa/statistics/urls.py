from .dashboards.urls import urlpatterns as dashboards
from .release.urls import urlpatterns as release

app_name = "statistics"
urlpatterns = [*dashboards, *release]
