"""Pages of the sustainability survey: parse input, call one selector or service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.actions import post_action
from mboa.core.errors import ApplicationError

from . import catalog, selectors, services
from .forms import CatalogUploadForm, CohortFilterForm, SubmissionsUploadForm
from .models import UploadKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(bytes(content), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@login_required
def catalog_page(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/surveys/catalog.html", selectors.catalog_for_user(user=request.user))


@login_required
def xlsform_download(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.survey_version_get_for_user(user=request.user, pk=pk)
    if not version.xlsform:
        return redirect("monitoring:survey_catalog")
    return _xlsx(version.xlsform, f"{version.form_id}.xlsx")


@login_required
def catalog_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(selectors.example_workbook_for_user(user=request.user), "mboa_definition_enquete_EXEMPLE.xlsx")


def _upload_page(request: HttpRequest, *, form, kind: str, action, template: str, to: str) -> HttpResponse:
    uploads = selectors.uploads_for_user(user=request.user, kind=kind)  # 403 for those who may not upload
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            action(upload)
        except ApplicationError as error:
            form.add_error("file", error.message)
        else:
            return redirect(to)
    return render(request, template, {"form": form, "uploads": uploads, "problem_text": catalog.problem_text},
                  status=400 if form.is_bound else 200)


@login_required
def catalog_upload(request: HttpRequest) -> HttpResponse:
    """Upload a definition workbook (administrators); a task reads and loads it."""
    form = CatalogUploadForm(request.POST or None, request.FILES or None)
    return _upload_page(request, form=form, kind=UploadKind.CATALOG, template="monitoring/surveys/catalog_upload.html",
                        to="monitoring:survey_catalog_upload",
                        action=lambda f: services.catalog_upload(by=request.user, content=f.read(), file_name=f.name))


@login_required
def submissions_upload(request: HttpRequest) -> HttpResponse:
    """Upload an ODK/Kobo export; a task reads and imports it, all or nothing."""
    form = SubmissionsUploadForm(request.POST or None, request.FILES or None)
    return _upload_page(request, form=form, kind=UploadKind.SUBMISSIONS, template="monitoring/surveys/import.html",
                        to="monitoring:survey_import",
                        action=lambda f: services.submissions_upload(by=request.user, content=f.read(), file_name=f.name,
                                                                     version=form.cleaned_data["version"]))


@login_required
@require_POST
def weights_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    weight_set = selectors.weight_set_get_for_user(user=request.user, pk=pk)
    return post_action(request, lambda: services.weight_set_adopt(weight_set=weight_set, by=request.user),
                       success=lambda w: _("Weight set %(number)s adopted: the scores are being recomputed.") % {
                           "number": w.number}, to="monitoring:survey_catalog")


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    trajectory = selectors.case_trajectory_for_user(user=request.user, case_id=case_id,
                                                    weight_set_id=request.GET.get("weights", ""))
    return render(request, "monitoring/surveys/case.html", {"t": trajectory, "case": trajectory.case})


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.survey_answers_for_user(user=request.user, survey_id=pk)
    return render(request, "monitoring/surveys/detail.html", {"d": detail, "survey": detail.survey,
                                                              "case": detail.survey.case})


@login_required
def cohorts_page(request: HttpRequest) -> HttpResponse:
    form = CohortFilterForm(request.GET or None)
    by, score, filters = "year", "composite", {}
    if form.is_valid():
        by = form.cleaned_data["by"] or by
        score = form.cleaned_data["score"] or score
        if form.cleaned_data["region"]:
            filters["region"] = form.cleaned_data["region"].code
        if form.cleaned_data["sex"]:
            filters["sex"] = form.cleaned_data["sex"]
    table = selectors.cohorts_for_user(user=request.user, by=by, score=score, filters=filters)
    return render(request, "monitoring/surveys/cohorts.html", {"form": form, "table": table, "score": score,
                                                               "min_cell": selectors.MIN_CELL})
