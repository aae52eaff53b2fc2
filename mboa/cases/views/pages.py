"""Case pages: list and search, the case page (with timeline), the forms that act on a
case, caseloads, the niche map and trainings. Each view parses input, fetches through a
scoped selector, calls one service and renders."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.errors import ApplicationError
from mboa.core.permissions import check, require
from mboa.core.sensitive import log_read
from mboa.registry.selectors import person_get_for_user
from mboa.registry.sensitive import PERSON_FIELDS_SHOWN

from .. import assessments as assessment_services
from .. import consent as consent_services
from .. import niches as niche_services
from .. import selectors, services, trainings, workflows
from ..forms import (
    ApprovalRequestForm,
    CaseFilterForm,
    ConsentForm,
    HouseholdForm,
    NicheForm,
    NicheImportForm,
    QuestionForm,
    SessionForm,
    TrainingForm,
    TransferForm,
    assessment_form_class,
)
from ..models import (
    Approval,
    AssessmentKind,
    Consent,
    Counsellor,
    CounsellorKind,
    Enrolment,
    FormSchema,
    SavedFilter,
    Sector,
    Transfer,
)

PAGE_SIZE = 25
NAV = "cases"


def _fail(request: HttpRequest, form, error: ApplicationError) -> None:
    field = error.field if form is not None and error.field in form.fields else None
    if form is not None:
        form.add_error(field, error.message)
    else:
        messages.error(request, error.message)


# --- List ---------------------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.view_cases")
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status") or ""
    counsellor = filters.get("counsellor")
    cases = selectors.case_list_for_user(
        user=request.user, query=filters.get("q") or "", status="" if status == "active" else status,
        active_only=status == "active", counsellor=counsellor,
        city=filters.get("city") or "", vulnerability=filters.get("vulnerability") or "",
        arrival_from=filters.get("arrival_from"), arrival_to=filters.get("arrival_to"),
        order=filters.get("order") or "-opened",
    )
    # Offset pagination without a total count: counting a million rows would cost more
    # than the page itself. One extra row says whether there is a next page.
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    rows = list(selectors.case_list_rows(cases)[(page - 1) * PAGE_SIZE: page * PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        # Selects are rendered by hand from the choices: Django's widget templates cost more
        # than the whole query on this page.
        "form": form, "current": {k: request.GET.get(k, "") for k in form.fields},
        "cases": rows[:PAGE_SIZE], "page": page, "has_next": has_next, "has_previous": page > 1,
        "query_string": params.urlencode(), "saved_filters": SavedFilter.objects.filter(user=request.user),
        "nav_current": NAV,
    }
    if request.htmx and request.htmx.target == "case-results":
        return render(request, "cases/partials/case_rows.html", context)
    return render(request, "cases/pages/case_list.html", context)


@login_required
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.view_cases")
    query = request.POST.get("query", "")
    try:
        services.saved_filter_save(user=request.user, name=request.POST.get("name", ""), query=query)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Filter saved."))
    return redirect(f"{request.build_absolute_uri('/cases/')}?{QueryDict(query).urlencode()}")


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, filter_id: int) -> HttpResponse:
    services.saved_filter_delete(user=request.user, filter_id=filter_id)
    return redirect("cases:case_list")


# --- Case page ------------------------------------------------------------------------------------


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    user = request.user
    may_read_psy = bool(check(user, "cases.read_psychosocial", case))
    sessions = list(selectors.sessions_for_case(case=case))
    restricted = [s for s in sessions if s.is_restricted]
    if restricted and may_read_psy:
        for session in restricted:
            log_read(user=user, obj=session, fields=["notes"], purpose="case page")
    log_read(user=user, obj=case.person, fields=PERSON_FIELDS_SHOWN[:6], purpose=f"case {case.number}")
    case_assessments = list(case.assessments.select_related("form", "assessed_by").order_by("-assessed_on", "-id"))
    if case_assessments:
        log_read(user=user, obj=case, fields=["assessments.answers"], purpose="case page")
    context = {
        "case": case,
        "nav_current": NAV,
        "may_work": bool(check(user, "cases.work_on_case", case)),
        "may_read_psy": may_read_psy,
        "sessions": sessions,
        "assessments": [(a, assessment_services.display_answers(a)) for a in case_assessments],
        "consents": list(Consent.objects.filter(person=case.person).select_related("structure")),
        "household": list(case.household.select_related("person")),
        "vulnerabilities": [assessment_services.vulnerability_label(v.category)
                            for v in case.vulnerabilities.all()],
        "approvals": list(case.approvals.select_related("requested_by", "decided_by")),
        "transfers": list(case.transfers.select_related("to_owner", "requested_by")),
        "enrolments": list(case.enrolments.select_related("offer")),
        # Only the manual actions: the approved steps' guards would cost a query each.
        "actions": [t for t in workflows.CASE.transitions
                    if t.action in workflows.MANUAL_ACTIONS and workflows.CASE.check(case, t.action, user)[0]],
        "suggestions": niche_services.niche_suggestions(case=case),
        "timeline": selectors.case_timeline(case=case, user=user),
        "later_cases": list(case.later_cases.only("id", "number", "status")),
        "assessment_kinds": AssessmentKind.choices,
        "approval_form": ApprovalRequestForm(),
    }
    return render(request, "cases/pages/case_detail.html", context)


@login_required
def case_open(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.open_case")
    person = person_get_for_user(user=request.user, person_id=request.GET.get("person") or request.POST.get("person"))
    if request.method == "POST":
        case = services.case_open(person=person, by=request.user, city=request.POST.get("city", ""),
                                  arrival_reference=request.POST.get("arrival_reference", ""),
                                  note=request.POST.get("note", ""))
        messages.success(request, _("Case %(number)s is open.") % {"number": case.number})
        return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/pages/case_open.html", {"person": person, "nav_current": NAV})


@login_required
@require_POST
def case_transition(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    try:
        services.case_transition(case=case, action=request.POST.get("action", ""), by=request.user,
                                 note=request.POST.get("note", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Status updated."))
    return redirect("cases:case_detail", case_id=case.pk)


@login_required
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    require(request.user, "cases.assign", case)
    if request.method == "POST":
        counsellor = get_object_or_404(Counsellor, pk=request.POST.get("counsellor"), is_active=True)
        try:
            services.case_assign(case=case, counsellor=counsellor, by=request.user,
                                 reason=request.POST.get("reason", ""))
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Counsellor assigned."))
            return redirect("cases:case_detail", case_id=case.pk)
    kinds = []
    for kind, label in CounsellorKind.choices:
        kinds.append({
            "kind": kind, "label": label,
            "suggested": services.counsellor_suggest(case=case, kind=kind),
            "counsellors": list(services.counsellor_loads(kind=kind)),
            "current": case.insertion_counsellor if kind == CounsellorKind.INSERTION else case.psychosocial_counsellor,
        })
    return render(request, "cases/pages/case_assign.html", {"case": case, "kinds": kinds, "nav_current": NAV})


# --- Sessions, assessments, consent, household --------------------------------------------------------


@login_required
def session_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    require(request.user, "cases.work_on_case", case)
    form = SessionForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_record(case=case, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Session recorded."))
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/pages/simple_form.html",
                  {"case": case, "form": form, "title": _("Record a session"), "nav_current": NAV},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def assessment_create(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    require(request.user, "cases.work_on_case", case)
    try:
        schema = assessment_services.form_current(kind=kind)
    except ApplicationError:
        raise PermissionDenied from None
    form = assessment_form_class(schema)(request.POST or None, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        assessed_on = data.pop("assessed_on")
        answers = {k: (str(v) if hasattr(v, "as_tuple") else v) for k, v in data.items()}
        try:
            assessment_services.assessment_record(case=case, kind=kind, answers=answers, by=request.user,
                                                  assessed_on=assessed_on)
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("cases:case_detail", case_id=case.pk)
    title = f"{schema.title} (v{schema.version})"
    return render(request, "cases/pages/simple_form.html",
                  {"case": case, "form": form, "title": title, "nav_current": NAV},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def consent_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    require(request.user, "cases.work_on_case", case)
    form = ConsentForm(request.POST or None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_services.consent_record(person=case.person, case=case, purpose=data["purpose"],
                                            method=data["method"], by=request.user, given_on=data["given_on"],
                                            structures=list(data["structures"]), witness_name=data["witness_name"])
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/pages/simple_form.html",
                  {"case": case, "form": form, "title": _("Record consent"), "nav_current": NAV},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, case_id: int, consent_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    require(request.user, "cases.work_on_case", case)
    consent = get_object_or_404(Consent, pk=consent_id, person=case.person)
    try:
        consent_services.consent_withdraw(consent=consent, by=request.user, note=request.POST.get("note", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("cases:case_detail", case_id=case.pk)


@login_required
def household_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    require(request.user, "cases.work_on_case", case)
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_member_add(case=case, by=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/pages/simple_form.html",
                  {"case": case, "form": form, "title": _("Add a household member"), "nav_current": NAV})


# --- Approvals and transfers ------------------------------------------------------------------------------


@login_required
@require_POST
def approval_request(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    try:
        services.approval_request(case=case, kind=kind, by=request.user, note=request.POST.get("note", ""),
                                  closure_reason=request.POST.get("closure_reason", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Approval requested."))
    return redirect("cases:case_detail", case_id=case.pk)


@login_required
@require_POST
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = get_object_or_404(Approval.objects.select_related("case"), pk=approval_id)
    case = selectors.case_get_for_user(user=request.user, case_id=approval.case_id)
    try:
        services.approval_decide(approval=approval, by=request.user, approve=request.POST.get("decision") == "approve",
                                 comment=request.POST.get("comment", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("cases:case_detail", case_id=case.pk)


@login_required
def transfer_request(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    require(request.user, "cases.request_transfer", case)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_request(case=case, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Transfer requested; the receiver must accept it."))
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/pages/simple_form.html",
                  {"case": case, "form": form, "title": _("Transfer the case"), "nav_current": NAV})


@login_required
@require_POST
def transfer_decide(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = get_object_or_404(Transfer.objects.select_related("case"), pk=transfer_id)
    # The receiver may not see the case yet: the rule on the transfer decides.
    if not (check(request.user, "cases.decide_transfer", transfer) or check(request.user, "cases.view_case",
                                                                             transfer.case)):
        raise PermissionDenied
    try:
        services.transfer_decide(transfer=transfer, by=request.user, action=request.POST.get("action", ""),
                                 note=request.POST.get("note", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Transfer updated."))
    try:
        selectors.case_get_for_user(user=request.user, case_id=transfer.case_id)
    except Http404:
        return redirect("cases:my_caseload")
    return redirect("cases:case_detail", case_id=transfer.case_id)


# --- Caseloads --------------------------------------------------------------------------------------------


@login_required
def my_caseload(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.have_caseload")
    load = selectors.caseload_for_user(user=request.user)
    incoming = Transfer.objects.filter(to_owner=request.user, status="requested").select_related("case", "requested_by")
    pending = []
    if check(request.user, "cases.view_supervision"):
        pending = [a for a in Approval.objects.filter(status="requested").select_related("case", "requested_by")[:100]
                   if check(request.user, "cases.decide_approval", a)]
    return render(request, "cases/pages/caseload.html",
                  {**load, "incoming": list(incoming), "pending_approvals": pending, "nav_current": "cases_caseload"})


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.view_supervision")
    return render(request, "cases/pages/supervision.html",
                  {"counsellors": selectors.supervision_loads(user=request.user), "nav_current": "cases_caseload"})


# --- Niche map ------------------------------------------------------------------------------------------------


@login_required
def niche_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.view_niches")
    region, sector = request.GET.get("region", ""), request.GET.get("sector", "")
    from mboa.actors.models import Region

    return render(request, "cases/pages/niche_list.html", {
        "niches": selectors.niche_list(region=region, sector=sector), "regions": Region.objects.all(),
        "sectors": Sector.objects.all(), "region": region, "sector": sector, "nav_current": "cases_niches",
    })


@login_required
def niche_edit(request: HttpRequest, niche_id: int | None = None) -> HttpResponse:
    require(request.user, "cases.change_niches")
    niche = selectors.niche_get(niche_id=niche_id) if niche_id else None
    initial = {}
    if niche is not None:
        initial = {f: getattr(niche, f) for f in ("region", "department", "filiere", "rationale",
                                                 "investment_min_xaf", "investment_max_xaf", "source", "source_date")}
    form = NicheForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            niche_services.niche_save(by=request.user, data=form.cleaned_data, niche=niche)
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Niche saved."))
            return redirect("cases:niche_list")
    return render(request, "cases/pages/simple_form.html",
                  {"form": form, "title": _("Niche"), "nav_current": "cases_niches"})


@login_required
def niche_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.change_niches")
    form = NicheImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = niche_services.niche_import_xlsx(file=form.cleaned_data["file"], by=request.user)
        except ApplicationError as error:
            errors = error.extra.get("errors") or [error.message]
        else:
            messages.success(request, _("Imported: %(c)d new niches, %(u)d updated.") % {
                "c": result["created"], "u": result["updated"]})
            return redirect("cases:niche_list")
    return render(request, "cases/pages/niche_import.html",
                  {"form": form, "errors": errors, "nav_current": "cases_niches"}, status=400 if errors else 200)


# --- Trainings --------------------------------------------------------------------------------------------------


@login_required
def training_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.view_trainings")
    return render(request, "cases/pages/training_list.html",
                  {"offers": selectors.training_list_for_user(user=request.user), "nav_current": "cases_trainings"})


@login_required
def training_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.manage_trainings")
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer = trainings.offer_create(by=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            return redirect("cases:training_detail", offer_id=offer.pk)
    return render(request, "cases/pages/simple_form.html",
                  {"form": form, "title": _("New training offer"), "nav_current": "cases_trainings"})


@login_required
def training_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = selectors.training_get_for_user(user=request.user, offer_id=offer_id)
    enrolments = list(selectors.enrolments_for_offer(user=request.user, offer=offer))
    return render(request, "cases/pages/training_detail.html", {
        "offer": offer, "enrolments": enrolments, "may_manage": bool(check(request.user, "cases.manage_trainings", offer)),
        "today": timezone.localdate(), "nav_current": "cases_trainings",
    })


@login_required
@require_POST
def training_enrol(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    offer = selectors.training_get_for_user(user=request.user, offer_id=request.POST.get("offer"))
    try:
        trainings.enrol(offer=offer, case=case, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Enrolled."))
    return redirect("cases:case_detail", case_id=case.pk)


@login_required
@require_POST
def enrolment_update(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("offer", "case"), pk=enrolment_id)
    offer = selectors.training_get_for_user(user=request.user, offer_id=enrolment.offer_id)
    require(request.user, "cases.manage_trainings", offer)
    try:
        if request.POST.get("action") in ("complete", "drop"):
            trainings.enrolment_finish(enrolment=enrolment, by=request.user,
                                       completed=request.POST["action"] == "complete")
        else:
            day = dt.date.fromisoformat(request.POST.get("day", ""))
            trainings.attendance_record(enrolment=enrolment, day=day, present=request.POST.get("present") == "1",
                                        by=request.user)
    except (ApplicationError, ValueError) as error:
        messages.error(request, getattr(error, "message", _("Give a valid day.")))
    return redirect("cases:training_detail", offer_id=offer.pk)


# --- Assessment forms (administrators) --------------------------------------------------------------------


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "cases.manage_forms")
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment_services.form_add_question(kind=data["kind"], question=data, by=request.user)
        except ApplicationError as error:
            _fail(request, form, error)
        else:
            messages.success(request, _("Question added: a new version of the form is in use."))
            return redirect("cases:form_list")
    return render(request, "cases/pages/form_list.html", {
        "schemas": FormSchema.objects.order_by("kind", "-version"), "form": form, "nav_current": NAV,
    })
