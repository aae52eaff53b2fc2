"""Reception pages: arrivals, manifest upload and review, GTA board, stations, report.

Views parse input, fetch through a selector (which checks the page's access and logs the
sensitive reads it shows), call one service (which checks the rule of the write) and render.
Station views are small pages made for a tablet or a phone at a desk: one search box
(focused), one row per returnee, one tap per tick (HTMX swaps the row; without
JavaScript the form posts and comes back to the station).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.actions import post_action
from mboa.core.errors import ApplicationError
from mboa.core.permissions import check
from mboa.core.vocabulary import VULNERABILITIES

from .. import imports, selectors, services
from .. import report as reports
from ..forms import ArrivalForm, ManifestUploadForm, TaskCompleteForm
from ..models import AnalysisState, ArrivalStatus, ManifestStatus, NationalityCheck, ReceiptKind, StepCode


def _ctx(**kwargs) -> dict:
    return {"nav_current": "reception", **kwargs}


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) \
        else default


# --- Arrivals --------------------------------------------------------------------------------

@login_required
def arrival_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    arrivals = selectors.arrivals_page_for_user(user=request.user, status=status,
                                                search=request.GET.get("q", "").strip())
    return render(request, "reception/pages/arrival_list.html", _ctx(
        arrivals=arrivals, status=status, statuses=ArrivalStatus.choices, q=request.GET.get("q", "")))


def _arrival_form(request: HttpRequest, reference: str | None) -> HttpResponse:
    arrival = selectors.arrival_for_manager(user=request.user, reference=reference)
    form = ArrivalForm(request.POST or None, instance=arrival)
    if request.method == "POST" and form.is_valid():
        try:
            if arrival is None:
                arrival = services.arrival_create(by=request.user, data=form.cleaned_data)
            else:
                arrival.refresh_from_db()
                arrival = services.arrival_update(arrival=arrival, by=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            if reference is not None:
                messages.success(request, _("Changes saved."))
            elif arrival.mobilises_gta:
                messages.success(request, _("Arrival created; it mobilises the GTA: %(n)s tasks assigned.") % {
                    "n": arrival.tasks.count()})
            else:
                messages.success(request, _("Arrival created."))
            return redirect("reception:arrival_detail", reference=arrival.reference)
    return render(request, "reception/pages/arrival_form.html", _ctx(form=form, arrival=arrival),
                  status=400 if form.is_bound else 200)


@login_required
def arrival_create(request: HttpRequest) -> HttpResponse:
    return _arrival_form(request, None)


@login_required
def arrival_edit(request: HttpRequest, reference: str) -> HttpResponse:
    return _arrival_form(request, reference)


@login_required
def arrival_detail(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.arrival_page_for_user(user=request.user, reference=reference)
    return render(request, "reception/pages/arrival_detail.html", _ctx(
        arrival=page.arrival, data=page.data, steps=page.steps, to_review=page.to_review, manifests=page.manifests,
        actions=page.actions, may_manage=page.may_manage, may_see_people=page.may_see_people))


@login_required
@require_POST
def arrival_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    arrival = selectors.arrival_get_for_user(user=request.user, reference=reference)
    return post_action(
        request,
        lambda: services.arrival_transition(arrival=arrival, action=action, by=request.user,
                                            note=request.POST.get("note", "")),
        to="reception:arrival_detail", reference=arrival.reference)


# --- Manifest --------------------------------------------------------------------------------

@login_required
def manifest_upload(request: HttpRequest, reference: str) -> HttpResponse:
    arrival = selectors.arrival_for_manager(user=request.user, reference=reference)
    form = ManifestUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            manifest = services.manifest_upload(arrival=arrival, by=request.user, content=upload.read(),
                                                file_name=upload.name)
        except ApplicationError as error:
            form.add_error("file", error.message)
        else:
            return redirect("reception:manifest_review", manifest_id=manifest.pk)
    return render(request, "reception/pages/manifest_upload.html", _ctx(arrival=arrival, form=form),
                  status=400 if form.is_bound else 200)


@login_required
def manifest_review(request: HttpRequest, manifest_id: int) -> HttpResponse:
    """Validation first: every problem by row and column, the column mapping, then import.
    The file was read by a task (``reception.manifest_analyse``): while it runs the page
    says so and asks again every 2 s (HTMX); then it shows the stored result."""
    manifest = selectors.manifest_get_for_user(user=request.user, manifest_id=manifest_id)
    arrival = manifest.arrival
    if manifest.status == ManifestStatus.IMPORTED:
        messages.info(request, _("This list was imported already."))
        return redirect("reception:arrival_detail", reference=arrival.reference)
    services.manifest_analysis_queue(manifest=manifest)  # a draft whose analysis was never queued
    if manifest.analysis_state in (AnalysisState.PENDING, AnalysisState.RUNNING, AnalysisState.FAILED):
        if request.htmx and request.htmx.target == "manifest-analysis":
            return render(request, "reception/partials/manifest_analysis.html", {"manifest": manifest})
        return render(request, "reception/pages/manifest_review.html", _ctx(manifest=manifest, arrival=arrival,
                                                                           analysing=True))
    if request.htmx and request.htmx.target == "manifest-analysis":
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # analysed: show the whole review page
        return response
    mapping = {key[4:]: value for key, value in request.POST.items() if key.startswith("map_")} or manifest.mapping
    if request.method == "POST" and request.POST.get("do") == "import":
        try:
            result = services.manifest_import_draft(manifest=manifest, by=request.user, mapping=mapping)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("reception:arrival_detail", reference=arrival.reference)
        if result.already_imported:
            messages.info(request, _("This list was imported already."))
            return redirect("reception:arrival_detail", reference=arrival.reference)
        if result.ok:
            messages.success(request, _("%(n)s returnees imported; %(m)s may have an earlier record to review.") % {
                "n": result.imported, "m": result.possible_matches})
            return redirect("reception:passenger_list", reference=arrival.reference)
        report_data = result
    elif request.method == "POST":
        try:
            report_data = services.manifest_mapping_save(manifest=manifest, by=request.user, mapping=mapping)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("reception:manifest_review", manifest_id=manifest.pk)
    else:
        report_data = services.manifest_report(manifest=manifest)
    columns = [(str(i), header, report_data.mapping.get(str(i), "")) for i, header in enumerate(report_data.headers)]
    return render(request, "reception/pages/manifest_review.html", _ctx(
        manifest=manifest, arrival=arrival, report=report_data, columns=columns,
        fields=list(imports.FIELDS.items()), ignore=imports.IGNORE,
        problems=report_data.problems[:500], more=max(0, len(report_data.problems) - 500),
    ), status=200 if report_data.ok else 400 if request.method == "POST" else 200)


# --- Returnees -------------------------------------------------------------------------------

@login_required
def passenger_list(request: HttpRequest, reference: str) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = selectors.passengers_page_for_user(user=request.user, reference=reference, search=q,
                                              to_review=request.GET.get("review") == "1")
    return render(request, "reception/pages/passenger_list.html", _ctx(
        arrival=page.arrival, rows=page.rows, q=q, step_codes=StepCode.values))


@login_required
def passenger_detail(request: HttpRequest, passenger_id: int) -> HttpResponse:
    page = selectors.passenger_page_for_user(user=request.user, passenger_id=passenger_id)
    passenger = page.passenger
    return render(request, "reception/pages/passenger_detail.html", _ctx(
        passenger=passenger, arrival=passenger.arrival,
        steps=[(c, label, page.steps.get(c), check(request.user, "reception.record_step", c))
               for c, label in StepCode.choices],
        medical=page.medical, may_see_medical=page.may_see_medical, candidates=page.candidates, sight=page.sight,
        vulnerabilities=[(code, info.label, info.health) for code, info in VULNERABILITIES.items()],
        may_flag=check(request.user, "reception.flag_vulnerability"),
    ))


@login_required
@require_POST
def passenger_vulnerability(request: HttpRequest, passenger_id: int) -> HttpResponse:
    passenger = selectors.passenger_get_for_user(user=request.user, passenger_id=passenger_id)
    return post_action(
        request,
        lambda: services.passenger_set_vulnerabilities(passenger=passenger, by=request.user,
                                                       flags=request.POST.getlist("flags"),
                                                       urgent=request.POST.get("urgent") == "1",
                                                       note=request.POST.get("note", "")),
        success=_("Vulnerability saved."), to="reception:passenger_detail", passenger_id=passenger.pk)


@login_required
@require_POST
def passenger_identity(request: HttpRequest, passenger_id: int) -> HttpResponse:
    passenger = selectors.passenger_get_for_user(user=request.user, passenger_id=passenger_id)
    choice = request.POST.get("person", "")
    return post_action(
        request,
        lambda: services.passenger_link_person(passenger=passenger, by=request.user,
                                               person_id=int(choice) if choice.isdigit() else None),
        to="reception:passenger_detail", passenger_id=passenger.pk)


# --- Stations --------------------------------------------------------------------------------

def _station_context(page: selectors.StationPage, **extra) -> dict:
    return _ctx(arrival=page.arrival, step=page.step, step_label=page.step_label, rows=page.rows, done=page.done,
                total=page.total, nationality_choices=NationalityCheck.choices, receipt_choices=ReceiptKind.choices,
                departments=page.departments, may_see_medical=page.may_see_medical, steps=page.steps, **extra)


@login_required
def station(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    page = selectors.station_page_for_user(user=request.user, reference=reference, step=step, search=q)
    context = _station_context(page, q=q)
    if request.htmx and request.htmx.target == "station-rows":
        return render(request, "reception/partials/station_rows.html", context)
    return render(request, "reception/pages/station.html", context)


@login_required
@require_POST
def step_tick(request: HttpRequest, passenger_id: int, step: str) -> HttpResponse:
    passenger = selectors.passenger_get_for_user(user=request.user, passenger_id=passenger_id)
    if step not in StepCode.values:  # the URL names no step
        raise Http404
    reference = passenger.arrival.reference
    back = reverse("reception:station", args=[reference, step])
    if not request.htmx:
        return post_action(
            request, lambda: services.step_tick(passenger=passenger, step=step, by=request.user,
                                                data=request.POST.dict(), undo=request.POST.get("undo") == "1"),
            to=_safe_next(request, back))
    error = None
    try:
        services.step_tick(passenger=passenger, step=step, by=request.user, data=request.POST.dict(),
                           undo=request.POST.get("undo") == "1")
    except ApplicationError as exc:
        error = exc.message
    page = selectors.station_page_for_user(user=request.user, reference=reference, step=step, passenger=passenger)
    shown, record = page.rows[0]
    return render(request, "reception/partials/station_row.html",
                  _station_context(page, passenger=shown, record=record, error=error, oob_progress=True))


# --- GTA board -------------------------------------------------------------------------------

@login_required
def board(request: HttpRequest, reference: str) -> HttpResponse:
    arrival = selectors.arrival_get_for_user(user=request.user, reference=reference)
    tasks = list(selectors.task_list_for_user(user=request.user, arrival=arrival))
    now = timezone.now()
    grouped: dict[str, dict] = {}
    for task in tasks:
        entry = grouped.setdefault(task.code, {"title": task.title, "due_at": task.due_at, "tasks": []})
        entry["tasks"].append(task)
    return render(request, "reception/pages/board.html", _ctx(
        arrival=arrival, groups=list(grouped.values()), now=now, whole_board=check(request.user, "reception.view_board"),
        late=sum(1 for t in tasks if t.is_late(now)), done=sum(1 for t in tasks if t.status == "done"),
        total=len(tasks), form=TaskCompleteForm()))


@login_required
@require_POST
def task_complete(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get_for_user(user=request.user, task_id=task_id)

    def act():
        if request.POST.get("reopen") == "1":
            return services.gta_task_reopen(task=task, by=request.user)
        return services.gta_task_complete(task=task, by=request.user, comment=request.POST.get("comment", ""))

    return post_action(request, act, to=_safe_next(request, reverse("reception:board", args=[task.arrival.reference])))


@login_required
def template_detail(request: HttpRequest) -> HttpResponse:
    template = selectors.task_template_for_user(user=request.user)
    items = template.items.prefetch_related("responsible") if template else []
    return render(request, "reception/pages/template_detail.html", _ctx(
        template=template, items=items, may_edit=check(request.user, "reception.manage_templates")))


# --- Hand-over and report --------------------------------------------------------------------

def _hand_over_said(request: HttpRequest):
    def said(result: services.HandOverResult) -> str:
        messages.success(request, _("%(n)s returnees handed over to case management (%(c)s cases opened).") % {
            "n": result.handed_over, "c": result.cases_opened})
        if result.skipped_review:
            messages.warning(request, _("Waiting for an identity decision: no. %(list)s.") % {
                "list": ", ".join(map(str, result.skipped_review))})
        if result.skipped_unregistered:
            messages.warning(request, _("Not registered at arrival, not handed over: %(n)s.") % {
                "n": len(result.skipped_unregistered)})
        return ""  # said above, before the warnings

    return said


@login_required
@require_POST
def hand_over(request: HttpRequest, reference: str) -> HttpResponse:
    arrival = selectors.arrival_get_for_user(user=request.user, reference=reference)
    return post_action(request, lambda: services.arrival_hand_over(arrival=arrival, by=request.user),
                       success=_hand_over_said(request), to="reception:arrival_detail", reference=arrival.reference)


def _report_arrival(request: HttpRequest, reference: str):
    return selectors.arrival_get_for_user(user=request.user, reference=reference, rule="reception.view_report")


@login_required
def report(request: HttpRequest, reference: str) -> HttpResponse:
    arrival = _report_arrival(request, reference)
    data = reports.arrival_report(arrival)
    return render(request, "reception/pages/report.html", _ctx(arrival=arrival, data=data,
                                                               sections=reports.report_sections(data)))


@login_required
def report_xlsx(request: HttpRequest, reference: str) -> HttpResponse:
    arrival = _report_arrival(request, reference)
    response = HttpResponse(reports.report_xlsx(reports.arrival_report(arrival)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="arrival-{arrival.reference}.xlsx"'
    return response


@login_required
def report_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    arrival = _report_arrival(request, reference)
    response = HttpResponse(reports.report_pdf(reports.arrival_report(arrival)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="arrival-{arrival.reference}.pdf"'
    return response
