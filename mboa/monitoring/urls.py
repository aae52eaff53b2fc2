from .feedback.urls import urlpatterns as feedback
from .surveys.urls import urlpatterns as surveys

app_name = "monitoring"
urlpatterns = [*surveys, *feedback]
