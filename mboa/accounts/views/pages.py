from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

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


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie, then back to the page), plus the choice saved on the
    user so that it follows them to another device."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        services.language_set(user=user, by=user, language=language)
    return response
