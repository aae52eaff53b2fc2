from django.contrib.auth import views as auth_views
from django.urls import path

from .views import pages

app_name = "accounts"
urlpatterns = [
    path("login/", pages.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", pages.profile, name="profile"),
    path("language/", pages.set_language, name="set_language"),
]
