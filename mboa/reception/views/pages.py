"""Reception pages: arrivals, manifest upload and review, GTA board, stations, report.

Views parse input, fetch through a scoped selector, call one service and render.
Station views are small pages made for a tablet or a phone at a desk: one search box
(focused), one row per returnee, one tap per tick (HTMX swaps the row; without
JavaScript the form posts and comes back to the station).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.actors.models import Department
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.permissions import check, require
from mboa.core.sensitive import log_read

from .. import imports, selectors, services
from .. import report as reports
from ..forms import ArrivalForm, ManifestUploadForm, TaskCompleteForm
from ..models import (
    ArrivalStatus,
    MatchStatus,
    MedicalDetail,
    NationalityCheck,
    ReceiptKind,
    StepCode,
    Vulnerability,
)
from ..sensitive import MEDICAL_FIELDS, PASSENGER_FIELDS
from ..workflows import ARRIVAL

STATION_LIMIT = 60


def _ctx(**kwargs) -> dict:
    return {"nav_current": "reception", **kwargs}


# --- Arrivals --------------------------------------------------------------------------------

@login_required
def arrival_list(request: HttpRequest) -> HttpResponse:
    if not (check(request.user, "reception.view_arrivals") or check(request.user, "reception.view_report")):
        raise Http404
    status = request.GET.get("status", "")
    arrivals = selectors.arrival_list_for_user(user=request.user, status=status, search=request.GET.get("q", "").strip())
    return render(request, "reception/pages/arrival_list.html", _ctx(
        arrivals=arrivals, status=status, statuses=ArrivalStatus.choices, q=request.GET.get("q", "")))


def _form_page(request, form, **context) -> HttpResponse:
    return render(request, "reception/pages/arrival_form.html", _ctx(form=form, **context),
                  status=400 if form.is_bound else 200)


@login_required
def arrival_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "reception.manage_arrivals")
    form = ArrivalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            arrival = services.arrival_create(by=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            if arrival.mobilises_gta:
                messages.success(request, _("Arrival created; it mobilises the GTA: %(n)s tasks assigned.") % {
                    "n": arrival.tasks.count()})
            else:
                messages.success(request, _("Arrival created."))
            return redirect("reception:arrival_detail", reference=arrival.reference)
    return _form_page(request, form)


@login_required
def arrival_edit(request: HttpRequest, reference: str) -> HttpResponse:
    arrival = selectors.arrival_get_for_user(user=request.user, reference=reference)
    require(request.user, "reception.manage_arrivals", arrival)
    form = ArrivalForm(request.POST or None, instance=arrival)
    if request.method == "POST" and form.is_valid():
        arrival.refresh_from_db()
        try:
            arrival = services.arrival_update(arrival=arrival, by=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("reception:arrival_detail", reference=arrival.reference)
    return _form_page(request, form, arrival=arrival)


@login_required
def arrival_detail(request: HttpRequest, reference: str) -> HttpResponse:
    arrival = selectors.arrival_get_for_user(user=request.user, reference=reference)
    passengers = selectors.passenger_list_for_user(user=request.user, arrival=arrival)
    data = reports.arrival_report(arrival)
    counts = dict(data["steps_by_code"])
    # every station's progress; a link only to the stations this user's desk may tick
    steps = [(code, label, counts.get(code, 0), check(request.user, "reception.record_step", code))
             for code, label in StepCode.choices if code != StepCode.POCKET_MONEY or arrival.pocket_money_eligible]
    return render(request, "reception/pages/arrival_detail.html", _ctx(
        arrival=arrival, data=data, steps=steps,
        to_review=passengers.filter(match_status__in=[MatchStatus.POSSIBLE, MatchStatus.PROBABLE]).count(),
        manifests=arrival.manifests.all()[:10],
        actions=ARRIVAL.available(arrival, request.user),
        may_manage=check(request.user, "reception.manage_arrivals", arrival),
        may_see_people=check(request.user, "reception.view_passengers"),
    ))


@login_required
@require_POST
def arrival_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    arrival = selectors.arrival_get_for_user(user=request.user, reference=reference)
    try:
        services.arrival_transition(arrival=arrival, action=action, by=request.user, note=request.POST.get("note", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("reception:arrival_detail", reference=arrival.reference)


# --- Manifest --------------------------------------------------------------------------------

@login_required
def manifest_upload(request: HttpRequest, reference: str) -> HttpResponse:
    arrival = selectors.arrival_get_for_user(user=request.user, reference=reference)
    require(request.user, "reception.manage_arrivals", arrival)
    form = ManifestUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = setting("RECEPTION", "MANIFEST_MAX_BYTES")
        if upload.size > limit:
            form.add_error("file", _("%(name)s: the file is %(size)s MB; the limit is %(limit)s MB.") % {
                "name": upload.name, "size": round(upload.size / 1024 / 1024, 1), "limit": round(limit / 1024 / 1024, 1)})
        else:
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
    """Validation first: every problem by row and column, the column mapping, then import."""
    manifest = selectors.manifest_get_for_user(user=request.user, manifest_id=manifest_id)
    arrival = manifest.arrival
    content = bytes(manifest.content)
    mapping = {key[4:]: value for key, value in request.POST.items() if key.startswith("map_")} or manifest.mapping
    if manifest.status == "imported":
        messages.info(request, _("This list was imported already."))
        return redirect("reception:arrival_detail", reference=arrival.reference)
    if request.method == "POST" and request.POST.get("do") == "import":
        try:
            result = services.manifest_import(arrival=arrival, by=request.user, content=content,
                                              file_name=manifest.file_name, mapping=mapping, manifest=manifest)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("reception:arrival_detail", reference=arrival.reference)
        if result.ok:
            messages.success(request, _("%(n)s returnees imported; %(m)s may have an earlier record to review.") % {
                "n": result.imported, "m": result.possible_matches})
            return redirect("reception:passenger_list", reference=arrival.reference)
        report_data = result
    else:
        report_data, _rows = services.manifest_check(arrival=arrival, content=content, file_name=manifest.file_name,
                                                     mapping=mapping)
        if request.method == "POST":
            manifest.mapping = report_data.mapping
            manifest.save(update_fields=["mapping", "updated_at"])
    columns = [(str(i), header, report_data.mapping.get(str(i), "")) for i, header in enumerate(report_data.headers)]
    return render(request, "reception/pages/manifest_review.html", _ctx(
        manifest=manifest, arrival=arrival, report=report_data, columns=columns,
        fields=list(imports.FIELDS.items()), ignore=imports.IGNORE,
        problems=report_data.problems[:500], more=max(0, len(report_data.problems) - 500),
    ), status=200 if report_data.ok else 400 if request.method == "POST" else 200)


# --- Returnees -------------------------------------------------------------------------------

@login_required
def passenger_list(request: HttpRequest, reference: str) -> HttpResponse:
    arrival = selectors.arrival_get_for_user(user=request.user, reference=reference, rule="reception.view_passengers")
    q = request.GET.get("q", "").strip()
    passengers = selectors.passenger_list_for_user(user=request.user, arrival=arrival, search=q)
    if request.GET.get("review") == "1":
        passengers = passengers.filter(match_status__in=[MatchStatus.POSSIBLE, MatchStatus.PROBABLE])
    passengers = list(passengers)
    selectors.log_list_read(user=request.user, passengers=passengers, fields=PASSENGER_FIELDS, purpose="reception list")
    steps = selectors.steps_by_passenger([p.pk for p in passengers])
    rows = [(p, steps.get(p.pk, {})) for p in passengers]
    return render(request, "reception/pages/passenger_list.html", _ctx(
        arrival=arrival, rows=rows, q=q, step_codes=StepCode.values))


@login_required
def passenger_detail(request: HttpRequest, passenger_id: int) -> HttpResponse:
    passenger = selectors.passenger_get_for_user(user=request.user, passenger_id=passenger_id)
    log_read(user=request.user, obj=passenger, fields=PASSENGER_FIELDS, purpose="reception")
    steps = {s.step: s for s in passenger.steps.select_related("done_by_structure", "destination_department")}
    medical = None
    if check(request.user, "reception.view_medical"):
        medical = MedicalDetail.objects.filter(passenger=passenger).first()
        if medical is not None:
            log_read(user=request.user, obj=medical, fields=MEDICAL_FIELDS, purpose="reception medical")
    candidates = []
    if check(request.user, "reception.manage_arrivals") and passenger.match_candidates:
        from mboa.registry.models import Person

        people = Person.objects.in_bulk([c["person_id"] for c in passenger.match_candidates])
        candidates = [(c, people.get(c["person_id"])) for c in passenger.match_candidates]
    return render(request, "reception/pages/passenger_detail.html", _ctx(
        passenger=passenger, arrival=passenger.arrival, steps=[(c, label, steps.get(c), check(request.user, "reception.record_step", c))
                                                      for c, label in StepCode.choices],
        medical=medical, may_see_medical=check(request.user, "reception.view_medical"),
        candidates=candidates, vulnerabilities=Vulnerability.choices,
        may_flag=check(request.user, "reception.flag_vulnerability"),
        may_manage=check(request.user, "reception.manage_arrivals"),
    ))


@login_required
@require_POST
def passenger_vulnerability(request: HttpRequest, passenger_id: int) -> HttpResponse:
    passenger = selectors.passenger_get_for_user(user=request.user, passenger_id=passenger_id)
    try:
        services.passenger_set_vulnerabilities(passenger=passenger, by=request.user,
                                               flags=request.POST.getlist("flags"),
                                               urgent=request.POST.get("urgent") == "1",
                                               note=request.POST.get("note", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vulnerability saved."))
    return redirect("reception:passenger_detail", passenger_id=passenger.pk)


@login_required
@require_POST
def passenger_identity(request: HttpRequest, passenger_id: int) -> HttpResponse:
    passenger = selectors.passenger_get_for_user(user=request.user, passenger_id=passenger_id)
    choice = request.POST.get("person", "")
    try:
        services.passenger_link_person(passenger=passenger, by=request.user,
                                       person_id=int(choice) if choice.isdigit() else None)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("reception:passenger_detail", passenger_id=passenger.pk)


# --- Stations --------------------------------------------------------------------------------

def _station_rows(user, arrival, step: str, q: str):
    passengers = list(selectors.passenger_list_for_user(user=user, arrival=arrival, search=q)[:STATION_LIMIT])
    steps = selectors.steps_by_passenger([p.pk for p in passengers])
    return [(p, steps.get(p.pk, {}).get(step)) for p in passengers]


def _station_context(request, arrival, step: str, q: str) -> dict:
    done = arrival.passengers.filter(steps__step=step).count()
    return _ctx(
        arrival=arrival, step=step, step_label=dict(StepCode.choices)[step], q=q,
        rows=_station_rows(request.user, arrival, step, q), done=done, total=arrival.passengers.count(),
        nationality_choices=NationalityCheck.choices, receipt_choices=ReceiptKind.choices,
        departments=Department.objects.order_by("name") if step == StepCode.ONWARD_TRAVEL else (),
        may_see_medical=check(request.user, "reception.view_medical"),
        steps=[(c, label) for c, label in StepCode.choices if check(request.user, "reception.record_step", c)],
    )


@login_required
def station(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    arrival = selectors.arrival_get_for_user(user=request.user, reference=reference, rule="reception.view_passengers")
    if step not in StepCode.values:
        raise Http404
    if not check(request.user, "reception.record_step", step):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()
    context = _station_context(request, arrival, step, q)
    if request.htmx and request.htmx.target == "station-rows":
        return render(request, "reception/partials/station_rows.html", context)
    return render(request, "reception/pages/station.html", context)


@login_required
@require_POST
def step_tick(request: HttpRequest, passenger_id: int, step: str) -> HttpResponse:
    passenger = selectors.passenger_get_for_user(user=request.user, passenger_id=passenger_id)
    if step not in StepCode.values:
        raise Http404
    error = None
    try:
        if request.POST.get("undo") == "1":
            services.step_undo(passenger=passenger, step=step, by=request.user)
        elif step == StepCode.POCKET_MONEY:
            services.pocket_money_pay(passenger=passenger, by=request.user, receipt=request.POST.get("receipt", ""))
        else:
            services.step_record(passenger=passenger, step=step, by=request.user, data=request.POST.dict())
    except ApplicationError as exc:
        error = exc.message
    if request.htmx:
        record = passenger.steps.filter(step=step).first()
        context = _station_context(request, passenger.arrival, step, "")
        context.update(passenger=passenger, record=record, error=error, oob_progress=True)
        return render(request, "reception/partials/station_row.html", context, status=200)
    if error:
        messages.error(request, error)
    target = request.POST.get("next") or reverse("reception:station", args=[passenger.arrival.reference, step])
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("reception:station", args=[passenger.arrival.reference, step])
    return redirect(target)


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
    form = TaskCompleteForm(request.POST)
    try:
        if request.POST.get("reopen") == "1":
            services.gta_task_reopen(task=task, by=request.user)
        elif form.is_valid():
            services.gta_task_complete(task=task, by=request.user, comment=form.cleaned_data["comment"])
    except ApplicationError as error:
        messages.error(request, error.message)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("reception:board", reference=task.arrival.reference)


@login_required
def template_detail(request: HttpRequest) -> HttpResponse:
    if not check(request.user, "reception.view_board"):
        raise Http404
    template = services.active_template()
    items = template.items.prefetch_related("responsible") if template else []
    return render(request, "reception/pages/template_detail.html", _ctx(
        template=template, items=items, may_edit=check(request.user, "reception.manage_templates")))


# --- Hand-over and report --------------------------------------------------------------------

@login_required
@require_POST
def hand_over(request: HttpRequest, reference: str) -> HttpResponse:
    arrival = selectors.arrival_get_for_user(user=request.user, reference=reference)
    try:
        result = services.arrival_hand_over(arrival=arrival, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(n)s returnees handed over to case management (%(c)s cases opened).") % {
            "n": result.handed_over, "c": result.cases_opened})
        if result.skipped_review:
            messages.warning(request, _("Waiting for an identity decision: no. %(list)s.") % {
                "list": ", ".join(map(str, result.skipped_review))})
        if result.skipped_unregistered:
            messages.warning(request, _("Not registered at arrival, not handed over: %(n)s.") % {
                "n": len(result.skipped_unregistered)})
    return redirect("reception:arrival_detail", reference=arrival.reference)


def _report_arrival(request, reference):
    if not check(request.user, "reception.view_report"):
        raise Http404
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
