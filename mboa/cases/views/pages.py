"""Case pages: list and search, the case page (with timeline), the forms that act on a
case, caseloads, the niche map and trainings. Each view parses input, fetches through a
scoped selector (which decides who may open the page, and logs the sensitive reads),
calls one service (which decides who may write) and renders or redirects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.actions import post_action
from mboa.core.errors import ApplicationError

from .. import assessments as assessment_services
from .. import consent as consent_services
from .. import niches as niche_services
from .. import selectors, services, trainings
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
from ..models import AssessmentKind

NAV = "cases"
SIMPLE_FORM = "cases/pages/simple_form.html"


def _form_page(request: HttpRequest, form: forms.Form, save: Callable[[dict[str, Any]], Any], *,
               to: Any, success: str = "", template: str = SIMPLE_FORM, context: dict[str, Any] | None = None,
               **to_kwargs: Any) -> HttpResponse:
    """The one shape of a page with a form: GET shows it; a valid POST calls ``save``
    (one service, which decides) then says ``success`` and redirects to ``to`` (or
    ``to(result)``); a refusal is shown on the form, at its field (400)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if success:
                messages.success(request, success)
            return redirect(to(result) if callable(to) else to, **to_kwargs)
    return render(request, template, {**(context or {}), "form": form},
                  status=400 if form.is_bound and form.errors else 200)


def _page_number(value: str | None) -> int:
    try:
        return max(1, int(value or "1"))
    except ValueError:
        return 1


# --- List ---------------------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status") or ""
    listing = selectors.case_list_page_for_user(
        user=request.user, page=_page_number(request.GET.get("page")), query=filters.get("q") or "",
        status="" if status == "active" else status, active_only=status == "active",
        counsellor=filters.get("counsellor"), city=filters.get("city") or "",
        vulnerability=filters.get("vulnerability") or "", arrival_from=filters.get("arrival_from"),
        arrival_to=filters.get("arrival_to"), order=filters.get("order") or "-opened",
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        # Selects are rendered by hand from the choices: Django's widget templates cost more
        # than the whole query on this page.
        "form": form, "current": {k: request.GET.get(k, "") for k in form.fields},
        "cases": listing.cases, "page": listing.page, "has_next": listing.has_next,
        "has_previous": listing.has_previous, "query_string": params.urlencode(),
        "saved_filters": selectors.saved_filters_for_user(user=request.user), "nav_current": NAV,
    }
    if request.htmx and request.htmx.target == "case-results":
        return render(request, "cases/partials/case_rows.html", context)
    return render(request, "cases/pages/case_list.html", context)


@login_required
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    query = request.POST.get("query", "")
    return post_action(
        request, lambda: services.saved_filter_save(user=request.user, name=request.POST.get("name", ""), query=query),
        success=_("Filter saved."), to=f"{reverse('cases:case_list')}?{QueryDict(query).urlencode()}")


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, filter_id: int) -> HttpResponse:
    saved = selectors.saved_filter_get_for_user(user=request.user, filter_id=filter_id)
    return post_action(request, lambda: services.saved_filter_delete(saved=saved, by=request.user),
                       to="cases:case_list")


# --- Case page ------------------------------------------------------------------------------------


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    page = selectors.case_page_for_user(user=request.user, case_id=case_id)
    return render(request, "cases/pages/case_detail.html", {
        **vars(page), "nav_current": NAV, "assessment_kinds": AssessmentKind.choices,
        "approval_form": ApprovalRequestForm(),
    })


@login_required
def case_open(request: HttpRequest) -> HttpResponse:
    person = selectors.case_open_form_for_user(user=request.user,
                                               person_id=request.GET.get("person") or request.POST.get("person"))
    if request.method == "POST":
        return post_action(
            request, lambda: services.case_open(person=person, by=request.user, city=request.POST.get("city", ""),
                                                arrival_reference=request.POST.get("arrival_reference", ""),
                                                note=request.POST.get("note", "")),
            success=lambda case: _("Case %(number)s is open.") % {"number": case.number},
            to=lambda case: reverse("cases:case_detail", args=[case.pk]) if case else
            f"{reverse('cases:case_open')}?person={person.pk}")
    return render(request, "cases/pages/case_open.html", {"person": person, "nav_current": NAV})


@login_required
@require_POST
def case_transition(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    return post_action(request, lambda: services.case_transition(case=case, action=request.POST.get("action", ""),
                                                                 by=request.user, note=request.POST.get("note", "")),
                       success=_("Status updated."), to="cases:case_detail", case_id=case.pk)


@login_required
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    if request.method == "POST":
        case = selectors.case_get_for_user(user=request.user, case_id=case_id)
        counsellor = selectors.counsellor_get(counsellor_id=request.POST.get("counsellor"))
        return post_action(
            request, lambda: services.case_assign(case=case, counsellor=counsellor, by=request.user,
                                                  reason=request.POST.get("reason", "")),
            success=_("Counsellor assigned."), to=lambda done: "cases:case_detail" if done else "cases:case_assign",
            case_id=case.pk)
    return render(request, "cases/pages/case_assign.html",
                  {**selectors.case_assign_page_for_user(user=request.user, case_id=case_id), "nav_current": NAV})


# --- Sessions, assessments, consent, household --------------------------------------------------------


@login_required
def session_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_form_for_user(user=request.user, case_id=case_id, rule="cases.work_on_case")
    return _form_page(
        request, SessionForm(request.POST or None, initial={"held_on": timezone.localdate()}),
        lambda data: services.session_record(case=case, by=request.user, **data),
        success=_("Session recorded."), to="cases:case_detail", case_id=case.pk,
        context={"case": case, "title": _("Record a session"), "nav_current": NAV})


@login_required
def assessment_create(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    case = selectors.case_form_for_user(user=request.user, case_id=case_id, rule="cases.work_on_case")
    try:
        schema = assessment_services.form_current(kind=kind)
    except ApplicationError:
        raise PermissionDenied from None

    def save(data: dict[str, Any]) -> Any:
        answers = {k: (str(v) if hasattr(v, "as_tuple") else v) for k, v in data.items() if k != "assessed_on"}
        return assessment_services.assessment_record(case=case, kind=kind, answers=answers, by=request.user,
                                                     assessed_on=data["assessed_on"])

    form = assessment_form_class(schema)(request.POST or None, initial={"assessed_on": timezone.localdate()})
    return _form_page(request, form, save, success=_("Assessment recorded."), to="cases:case_detail", case_id=case.pk,
                      context={"case": case, "title": f"{schema.title} (v{schema.version})", "nav_current": NAV})


@login_required
def consent_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_form_for_user(user=request.user, case_id=case_id, rule="cases.record_consent")
    return _form_page(
        request, ConsentForm(request.POST or None, initial={"given_on": timezone.localdate()}),
        lambda data: consent_services.consent_record(
            person=case.person, case=case, purpose=data["purpose"], method=data["method"], by=request.user,
            given_on=data["given_on"], structures=list(data["structures"]), witness_name=data["witness_name"]),
        success=_("Consent recorded."), to="cases:case_detail", case_id=case.pk,
        context={"case": case, "title": _("Record consent"), "nav_current": NAV})


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, case_id: int, consent_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    consent = selectors.consent_get_for_user(user=request.user, consent_id=consent_id, case=case)
    return post_action(request, lambda: consent_services.consent_withdraw(consent=consent, by=request.user,
                                                                          note=request.POST.get("note", "")),
                       success=_("Consent withdrawn."), to="cases:case_detail", case_id=case.pk)


@login_required
def household_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_form_for_user(user=request.user, case_id=case_id, rule="cases.work_on_case")
    return _form_page(request, HouseholdForm(request.POST or None),
                      lambda data: services.household_member_add(case=case, by=request.user, data=data),
                      to="cases:case_detail", case_id=case.pk,
                      context={"case": case, "title": _("Add a household member"), "nav_current": NAV})


# --- Approvals and transfers ------------------------------------------------------------------------------


@login_required
@require_POST
def approval_request(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    return post_action(
        request, lambda: services.approval_request(case=case, kind=kind, by=request.user,
                                                   note=request.POST.get("note", ""),
                                                   closure_reason=request.POST.get("closure_reason", "")),
        success=_("Approval requested."), to="cases:case_detail", case_id=case.pk)


@login_required
@require_POST
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = selectors.approval_get_for_user(user=request.user, approval_id=approval_id)
    return post_action(
        request, lambda: services.approval_decide(approval=approval, by=request.user,
                                                  approve=request.POST.get("decision") == "approve",
                                                  comment=request.POST.get("comment", "")),
        success=_("Decision recorded."), to="cases:case_detail", case_id=approval.case_id)


@login_required
def transfer_request(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_form_for_user(user=request.user, case_id=case_id, rule="cases.request_transfer")
    return _form_page(request, TransferForm(request.POST or None),
                      lambda data: services.transfer_request(case=case, by=request.user, **data),
                      success=_("Transfer requested; the receiver must accept it."), to="cases:case_detail",
                      case_id=case.pk, context={"case": case, "title": _("Transfer the case"), "nav_current": NAV})


def _case_or_caseload(user: Any, case_id: int) -> str:
    """The case page when the user (still, or now) sees the case; else their caseload."""
    try:
        selectors.case_get_for_user(user=user, case_id=case_id)
    except Http404:
        return reverse("cases:my_caseload")
    return reverse("cases:case_detail", args=[case_id])


@login_required
@require_POST
def transfer_decide(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = selectors.transfer_get_for_user(user=request.user, transfer_id=transfer_id)
    return post_action(
        request, lambda: services.transfer_decide(transfer=transfer, by=request.user,
                                                  action=request.POST.get("action", ""),
                                                  note=request.POST.get("note", "")),
        success=_("Transfer updated."), to=lambda _result: _case_or_caseload(request.user, transfer.case_id))


# --- Caseloads --------------------------------------------------------------------------------------------


@login_required
def my_caseload(request: HttpRequest) -> HttpResponse:
    load = selectors.caseload_page_for_user(user=request.user, approvals_page=request.GET.get("approvals_page"))
    return render(request, "cases/pages/caseload.html", {**load, "nav_current": "cases_caseload"})


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/pages/supervision.html",
                  {"counsellors": selectors.supervision_loads(user=request.user), "nav_current": "cases_caseload"})


# --- Niche map ------------------------------------------------------------------------------------------------


@login_required
def niche_list(request: HttpRequest) -> HttpResponse:
    region, sector = request.GET.get("region", ""), request.GET.get("sector", "")
    return render(request, "cases/pages/niche_list.html", {
        **selectors.niche_map_for_user(user=request.user, region=region, sector=sector),
        "region": region, "sector": sector, "nav_current": "cases_niches",
    })


@login_required
def niche_edit(request: HttpRequest, niche_id: int | None = None) -> HttpResponse:
    niche = selectors.niche_for_edit(user=request.user, niche_id=niche_id)
    initial = {f: getattr(niche, f) for f in NicheForm.base_fields} if niche is not None else {}
    return _form_page(request, NicheForm(request.POST or None, initial=initial),
                      lambda data: niche_services.niche_save(by=request.user, data=data, niche=niche),
                      success=_("Niche saved."), to="cases:niche_list",
                      context={"title": _("Niche"), "nav_current": "cases_niches"})


@login_required
def niche_import(request: HttpRequest) -> HttpResponse:
    selectors.niche_for_edit(user=request.user)
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
    return render(request, "cases/pages/training_list.html",
                  {"offers": selectors.training_list_page_for_user(user=request.user),
                   "nav_current": "cases_trainings"})


@login_required
def training_create(request: HttpRequest) -> HttpResponse:
    selectors.training_form_for_user(user=request.user)
    return _form_page(request, TrainingForm(request.POST or None),
                      lambda data: trainings.offer_create(by=request.user, data=data),
                      to=lambda offer: reverse("cases:training_detail", args=[offer.pk]),
                      context={"title": _("New training offer"), "nav_current": "cases_trainings"})


@login_required
def training_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    return render(request, "cases/pages/training_detail.html", {
        **selectors.training_page_for_user(user=request.user, offer_id=offer_id),
        "today": timezone.localdate(), "nav_current": "cases_trainings",
    })


@login_required
@require_POST
def training_enrol(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    offer = selectors.training_get_for_user(user=request.user, offer_id=request.POST.get("offer"))
    return post_action(request, lambda: trainings.enrol(offer=offer, case=case, by=request.user),
                       success=_("Enrolled."), to="cases:case_detail", case_id=case.pk)


@login_required
@require_POST
def enrolment_update(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.enrolment_get_for_user(user=request.user, enrolment_id=enrolment_id)
    action = request.POST.get("action")
    if action in ("complete", "drop"):
        def write() -> Any:
            return trainings.enrolment_finish(enrolment=enrolment, by=request.user, completed=action == "complete")
    else:
        try:
            day = dt.date.fromisoformat(request.POST.get("day", ""))
        except ValueError:
            messages.error(request, _("Give a valid day."))
            return redirect("cases:training_detail", offer_id=enrolment.offer_id)

        def write() -> Any:
            return trainings.attendance_record(enrolment=enrolment, day=day, present=request.POST.get("present") == "1",
                                               by=request.user)
    return post_action(request, write, to="cases:training_detail", offer_id=enrolment.offer_id)


# --- Assessment forms (administrators) --------------------------------------------------------------------


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    schemas = selectors.form_schemas_for_user(user=request.user)
    return _form_page(request, QuestionForm(request.POST or None),
                      lambda data: assessment_services.form_add_question(kind=data["kind"], question=data,
                                                                         by=request.user),
                      success=_("Question added: a new version of the form is in use."), to="cases:form_list",
                      template="cases/pages/form_list.html", context={"schemas": schemas, "nav_current": NAV})
