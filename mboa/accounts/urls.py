from django.contrib.auth import views as auth_views
from django.urls import path

from .views import pages

app_name = "accounts"
urlpatterns = [
    path("login/", pages.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", pages.profile, name="profile"),
    path("me/tokens/<id:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    path("language/", pages.set_language, name="set_language"),
    path("users/", pages.user_list, name="user_list"),
    path("users/<id:pk>/", pages.user_detail, name="user_detail"),
    path("users/<id:pk>/names/", pages.user_names, name="user_names"),
    path("users/<id:pk>/access/", pages.user_access, name="user_access"),
    path("access-requests/<id:pk>/decide/", pages.access_request_decide, name="access_request_decide"),
]
