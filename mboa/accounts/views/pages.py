from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import services


class LoginView(auth_views.LoginView):
    template_name = "accounts/pages/login.html"
    redirect_authenticated_user = True


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The account page; its one action creates a personal API token, shown once on the page."""
    token = None
    if request.method == "POST" and request.POST.get("action") == "token":
        token = services.api_token_create(user=request.user, by=request.user)
    return render(request, "accounts/pages/profile.html", {"token": token})
