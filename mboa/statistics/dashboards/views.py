"""Pages of the dashboards area: parse the filters, read through a selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mboa.core.permissions import check

from . import selectors
from .exports import figures_xlsx
from .forms import DashboardFilterForm
from .map import viewbox
from .ownership import ownership_figures


def _form(request: HttpRequest, **kwargs) -> DashboardFilterForm:
    return DashboardFilterForm(request.GET or None, **kwargs)


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    filters = form.filters()
    sections = selectors.dashboard_for_user(user=request.user, filters=filters)
    regions = selectors.region_map_for_user(user=request.user, filters=filters)
    return render(request, "statistics/dashboards/dashboard.html", {
        "form": form, "filters": filters, "sections": sections, "regions": regions, "viewbox": viewbox(),
        "query": filters.as_query(), "may_survival": check(request.user, "projects.view_outcomes"),
        "nav_current": "statistics_dashboards"})


@login_required
@require_GET
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    """Every figure, or the one named by ``?figure=``, as XLSX with the same filters."""
    filters = _form(request).filters()
    sections = selectors.dashboard_for_user(user=request.user, filters=filters)
    figures = [f for _title, figs in sections for f in figs]
    key = request.GET.get("figure", "")
    if key:
        figures = [f for f in figures if f.key == key]
        if not figures:
            raise Http404
    return _xlsx(figures_xlsx(figures, filters=filters, title=_("Dashboards")), key or "dashboards")


@login_required
@require_GET
def ownership(request: HttpRequest) -> HttpResponse:
    form = _form(request, government_only=True)
    filters = form.filters()
    data = selectors.ownership_for_user(user=request.user, filters=filters)
    return render(request, "statistics/dashboards/ownership.html", {
        "form": form, "filters": filters, "data": data, "index": data["index"], "figures": ownership_figures(data),
        "query": filters.as_query(), "nav_current": "statistics_ownership"})


@login_required
@require_GET
def ownership_xlsx(request: HttpRequest) -> HttpResponse:
    filters = _form(request, government_only=True).filters()
    data = selectors.ownership_for_user(user=request.user, filters=filters)
    figures = ownership_figures(data)
    key = request.GET.get("figure", "")
    if key:
        figures = [f for f in figures if f.key == key]
        if not figures:
            raise Http404
    return _xlsx(figures_xlsx(figures, filters=filters, title=_("Government ownership")), key or "ownership")


@login_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    """Every report a reader of figures may open, in one place (the menu's "Reports")."""
    return render(request, "statistics/dashboards/reports.html", {
        **selectors.reports_for_user(user=request.user), "nav_current": "statistics_reports"})
