from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .navigation import panels_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    panels = panels_for(request.user)
    context = {
        "figure_panels": [(p, c) for p, c in panels if p.section == "figures"],
        "waiting_panels": [(p, c) for p, c in panels if p.section == "waiting"],
        "context_panels": [(p, c) for p, c in panels if p.section == "context"],
    }
    return render(request, "core/pages/home.html", context)


@login_required
def access_policy(request: HttpRequest) -> HttpResponse:
    """The access policy as a table per resource: each role's scope for each action."""
    from . import policy
    from .permissions import require

    require(request.user, "core.view_access_policy")
    return render(request, "core/pages/access_policy.html", {
        "resources": policy.resources(), "roles": [(code, policy.ROLE_LABELS[code]) for code in policy.ROLES],
        "scopes": policy.Scope.LABELS, "data": policy.Data.LABELS, "actions": policy.ACTION_LABELS,
        "exempt": policy.exempt(), "nav_current": "access_policy",
    })


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- Error pages: JSON under /api/, the site's own pages elsewhere ------------------------

def _error(request: HttpRequest, status: int, detail: str, template: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status)
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(request, 400, _("Bad request."), "400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(request, 403, str(exception) if exception and str(exception) else _("You may not do this."), "403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(request, 404, _("Not found."), "404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Server error: the team has been told.")}, status=500)
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
