from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from .navigation import panels_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    panels = panels_for(request.user)
    context = {
        "waiting_panels": [(p, c) for p, c in panels if p.section == "waiting"],
        "context_panels": [(p, c) for p, c in panels if p.section == "context"],
    }
    return render(request, "core/pages/home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, plus the choice saved on the user so it follows them."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in {code for code, _ in _languages()} and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


def _languages():
    from django.conf import settings

    return settings.LANGUAGES


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
