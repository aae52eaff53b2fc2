"""Pages of the release area: the statistician's releases (request, progress, download)
and the donor's periodic report (page, XLSX, PDF). Each view parses input, reads through a
selector scoped to the user (which checks the rule) or calls one service, and responds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.actions import form_page
from mboa.core.uploads import serve_upload

from . import report, selectors, services
from .forms import IndicatorFilterForm, PeriodForm, default_period
from .models import ReleaseStatus

PENDING = (ReleaseStatus.QUEUED, ReleaseStatus.RUNNING)


def _release_context(request: HttpRequest) -> dict:
    releases = list(selectors.release_list_for_user(user=request.user)[:20])
    return {"releases": releases, "pending": any(r.status in PENDING for r in releases),
            "nav_current": "statistics_release"}


@login_required
def release_list(request: HttpRequest) -> HttpResponse:
    context = _release_context(request)
    if request.htmx:
        return render(request, "statistics/release/partials/releases.html", context)
    date_from, date_to = default_period()
    context["form"] = PeriodForm(initial={"date_from": date_from, "date_to": date_to})
    return render(request, "statistics/release/pages/release_list.html", context)


@login_required
@require_POST
def release_request(request: HttpRequest) -> HttpResponse:
    context = _release_context(request)
    form = PeriodForm(request.POST)
    context["form"] = form
    return form_page(
        request, form,
        lambda: services.release_request(by=request.user, date_from=form.cleaned_data["date_from"],
                                         date_to=form.cleaned_data["date_to"]),
        template="statistics/release/pages/release_list.html", context=context, to="statistics:release_list",
        success=lambda r: _("Release %(period)s requested: it will be ready for download in a moment.")
        % {"period": str(r)})


@login_required
def release_download(request: HttpRequest, pk: int) -> HttpResponse:
    release = selectors.release_get_for_user(user=request.user, pk=pk)
    if release.status != ReleaseStatus.DONE or not release.archive:
        raise Http404
    return serve_upload(release.archive, download_name=f"mboa-release-{release.date_from:%Y%m%d}-"
                                                       f"{release.date_to:%Y%m%d}.zip")


def _report(request: HttpRequest):
    regions = selectors.regions()
    form = IndicatorFilterForm(request.GET or None, regions=regions)
    filters = form.filters()
    values = selectors.donor_report_for_user(user=request.user, filters=filters)
    region_name = dict(regions).get(filters.region, "")
    return form, filters, values, region_name


@login_required
def donor_report(request: HttpRequest) -> HttpResponse:
    form, filters, values, region_name = _report(request)
    if not form.is_bound:
        form = IndicatorFilterForm(initial={"date_from": filters.date_from, "date_to": filters.date_to},
                                   regions=selectors.regions())
    return render(request, "statistics/release/pages/donor_report.html", {
        "form": form, "filters": filters, "sections": report.sections(values), "region_name": region_name,
        "query": request.GET.urlencode(), "nav_current": "statistics_donor_report"})


def _file_name(filters, extension: str) -> str:
    return f"mboa-report-{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}{'-' + filters.region if filters.region else ''}.{extension}"


@login_required
def donor_report_xlsx(request: HttpRequest) -> HttpResponse:
    _form, filters, values, region_name = _report(request)
    response = HttpResponse(report.report_xlsx(filters=filters, values=values, region_name=region_name),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(filters, "xlsx")}"'
    return response


@login_required
def donor_report_pdf(request: HttpRequest) -> HttpResponse:
    _form, filters, values, region_name = _report(request)
    response = HttpResponse(report.report_pdf(filters=filters, values=values, region_name=region_name),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(filters, "pdf")}"'
    return response
