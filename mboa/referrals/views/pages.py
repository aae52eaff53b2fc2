"""Pages: referral board, case tab, send form, inbox, referral detail, delays report,
agreements (list, detail with timeline, escalation), service catalogue.

Each view parses input, fetches through a selector scoped to the user (which checks the
page's rule and logs the sensitive reads), calls one service and renders; the rules are in
permissions.py and the services. ``check`` here only decides which buttons to show, with
the rule the service applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.actions import post_action
from mboa.core.errors import ApplicationError
from mboa.core.permissions import check
from mboa.core.uploads import serve_upload

from .. import agreements, delays, selectors, services
from ..forms import AgreementActionForm, AgreementForm, DelayFilterForm, DocumentForm, ReferralActionForm, ReferralForm
from ..models import AgreementStatus, ReferralStatus
from ..workflows import AGREEMENT


def _submit(request: HttpRequest, form: forms.Form, action: Callable[[dict], Any], *, success: Callable[[Any], str],
            to: str, pk_of: Callable[[Any], int]) -> HttpResponse | None:
    """A form page's POST: call the service with the valid form's data; on success say so
    and redirect to ``to`` (the new record's page), on a refusal show it on the form (None:
    render the form again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ApplicationError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None
    messages.success(request, success(result))
    return redirect(to, pk=pk_of(result))


@login_required
def board(request: HttpRequest) -> HttpResponse:
    filters = {"status": request.GET.get("status", ""), "structure": request.GET.get("structure", "").strip(),
               "service": request.GET.get("service", ""), "overdue": request.GET.get("overdue") == "1"}
    shown = selectors.board_page_for_user(user=request.user, page=request.GET.get("page"), **filters)
    return render(request, "referrals/pages/board.html", {
        **shown, **filters, "statuses": ReferralStatus.choices,
        "services": selectors.service_list_for_user(user=request.user)})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    shown = selectors.inbox_page_for_user(user=request.user, page=request.GET.get("page"), status=status)
    return render(request, "referrals/pages/inbox.html", {
        **shown, "status": status, "statuses": ReferralStatus.choices, "structure": request.user.structure})


@login_required
def case_tab(request: HttpRequest, case_id: int) -> HttpResponse:
    return render(request, "referrals/pages/case_tab.html",
                  selectors.case_referrals_for_user(user=request.user, case_id=case_id))


@login_required
def send(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_to_refer_for_user(user=request.user, case_id=case_id)
    form = ReferralForm(request.POST or None, initial={"structure": request.GET.get("structure")})
    done = _submit(
        request, form,
        lambda data: services.referral_send(
            by=request.user, case=case, service=data["service"], structure=data["structure"],
            service_point=data["service_point"], urgency=data["urgency"], reason=data["reason"],
            shared_parts=data["shared_parts"], health_details=data["health_details"],
            consent_override_reason=data["consent_override_reason"], from_reception=data["from_reception"]),
        success=lambda referral: _("Referral %(number)s sent to %(structure)s.") % {
            "number": referral.number, "structure": referral.structure.code},
        to="referrals:detail", pk_of=lambda referral: referral.pk)
    return done or render(request, "referrals/pages/send.html", {"case": case, "form": form},
                          status=400 if form.is_bound else 200)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    shown = selectors.referral_detail_for_user(user=request.user, pk=pk)
    return render(request, "referrals/pages/detail.html", {
        "referral": shown.referral, "shared": shown.shared, "health": shown.health,
        "health_sent": shown.health_sent, "actions": shown.actions, "sees_case": shown.sees_case,
        "history": shown.history, "form": ReferralActionForm()})


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, pk=pk)
    form = ReferralActionForm(request.POST)
    if not form.is_valid():
        return redirect("referrals:detail", pk=pk)
    return post_action(
        request, lambda: services.referral_transition(referral=referral, action=form.cleaned_data["action"],
                                                      by=request.user, note=form.cleaned_data["note"]),
        success=lambda updated: _("Referral %(number)s: %(status)s.") % {
            "number": updated.number, "status": updated.get_status_display()},
        to="referrals:detail", pk=pk)


def _bar_rows(rows, value_key, label_key):
    """Rows for a CSS bar chart: width as a share of the largest value."""
    values = [r[value_key] for r in rows if r[value_key] is not None]
    top = max(values) if values else 0
    return [{"label": r[label_key], "value": r[value_key],
             "width": 0 if not top or r[value_key] is None else round(100 * r[value_key] / top)} for r in rows]


def _listed(item: Any) -> str:
    return _("Listed for the meeting of %(date)s.") % {
        "date": timezone.localtime(item.meeting.starts_at).strftime("%d/%m/%Y")}


@login_required
def delays_report(request: HttpRequest) -> HttpResponse:
    # Default: the last twelve months, so the page stays quick after years of referrals.
    default_since = timezone.localdate() - dt.timedelta(days=365)
    form = DelayFilterForm(request.GET or None, initial={"since": default_since})
    since, group = default_since, "structure,service,month"
    if form.is_valid():
        since = form.cleaned_data["since"] or (None if "since" in request.GET else default_since)
        group = form.cleaned_data["group"] or group
    structure = request.GET.get("structure", "")
    service = request.GET.get("service", "")
    now = timezone.now()
    rows = selectors.delay_rows_for_user(user=request.user, since=since, structure=structure, service=service)
    table = delays.delay_report(rows=rows, group_by=group.split(","), now=now)
    per_structure = delays.delay_report(rows=rows, group_by=("structure",), now=now)
    chart = _bar_rows([{"structure": r["structure"], "accept": r["accept"]["median"]} for r in per_structure],
                      "accept", "structure")
    names = {s.code: s.name for s in selectors.service_list_for_user(user=request.user, include_inactive=True)}
    names["default"] = _("Any other service")
    for row in table:  # the service's name in the reader's language, not its code
        if "service" in row:
            row["service_name"] = names.get(row["service"], row["service"])
    context = {"form": form, "table": table, "group": group.split(","), "chart": chart,
               "overdue": selectors.overdue_referrals_for_user(user=request.user, now=now),
               "may_schedule": check(request.user, "governance.manage_meetings"),
               "targets": [(names.get(code, code), delays.targets(code)) for code in sorted(
                   {r["service"] for r in table if "service" in r} or {"default"})]}
    return render(request, "referrals/pages/delays.html", context)


@login_required
@require_POST
def overdue_to_agenda(request: HttpRequest) -> HttpResponse:
    return post_action(request, lambda: services.overdue_to_agenda(by=request.user), success=_listed,
                       to="referrals:delays")


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    service = request.GET.get("service", "")
    return render(request, "referrals/pages/catalogue.html", {
        **selectors.catalogue_for_user(user=request.user, service=service), "service": service})


# --- Agreements ---------------------------------------------------------------------------------


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    structure = request.GET.get("structure", "").strip()
    shown = selectors.agreement_list_page_for_user(user=request.user, status=status, structure=structure)
    figures = shown["figures"]
    top = max([r["iom_days"] + r["structure_days"] for r in figures] or [0])
    for r in figures:
        r["iom_width"] = round(100 * r["iom_days"] / top) if top else 0
        r["structure_width"] = round(100 * r["structure_days"] / top) if top else 0
    return render(request, "referrals/pages/agreement_list.html", {
        **shown, "statuses": AgreementStatus.choices, "status": status, "structure": structure})


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None, **selectors.agreement_choices_for_user(user=request.user))
    done = _submit(
        request, form,
        lambda data: agreements.agreement_create(by=request.user, structure=data["structure"], kind=data["kind"],
                                                 subject=data["subject"], services=data["services"],
                                                 notes=data["notes"]),
        success=lambda agreement: _("Agreement %(ref)s recorded.") % {"ref": agreement.reference},
        to="referrals:agreement_detail", pk_of=lambda agreement: agreement.pk)
    return done or render(request, "referrals/pages/agreement_form.html", {"form": form},
                          status=400 if form.is_bound else 200)


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    history = list(agreement.history.all())
    spent = agreements.time_in_status(agreement=agreement, periods=history)
    labels = dict(AgreementStatus.choices)
    context = {
        "agreement": agreement, "history": history,
        "spent": [(labels[s], round(d, 1)) for s, d in spent.by_status.items()],
        "iom_days": round(spent.by_party.get("iom", 0), 1),
        "structure_days": round(spent.by_party.get("structure", 0), 1),
        "structure_share": spent.structure_share,
        "actions": AGREEMENT.available(agreement, request.user),
        "action_form": AgreementActionForm(), "document_form": DocumentForm(),
        "may_add_document": check(request.user, "referrals.add_document", agreement),
    }
    return render(request, "referrals/pages/agreement_detail.html", context)


@login_required
@require_POST
def agreement_act(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    form = AgreementActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the date of the step."))
        return redirect("referrals:agreement_detail", pk=pk)
    data = form.cleaned_data
    ball = None if data["ball_with"] in ("", "default") else data["ball_with"]
    return post_action(
        request, lambda: agreements.agreement_transition(agreement=agreement, action=data["action"], by=request.user,
                                                         note=data["note"], at=data["at"], ball_with=ball),
        success=lambda updated: _("Agreement %(ref)s: %(status)s.") % {
            "ref": updated.reference, "status": updated.get_status_display()},
        to="referrals:agreement_detail", pk=pk)


@login_required
@require_POST
def agreement_document(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("referrals:agreement_detail", pk=pk)
    data = form.cleaned_data
    return post_action(
        request, lambda: agreements.agreement_document_add(agreement=agreement, by=request.user, title=data["title"],
                                                           file=data["file"], version=data["version"],
                                                           note=data["note"]),
        success=_("Document added."), to="referrals:agreement_detail", pk=pk)


@login_required
def agreement_document_download(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """A document of an agreement, as a download, for those who see the agreement (404 otherwise)."""
    document = selectors.agreement_document_get_for_user(user=request.user, agreement_id=pk, document_id=document_id)
    return serve_upload(document.file)


@login_required
def escalation(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/pages/escalation.html", {
        "agreements": selectors.escalation_for_user(user=request.user),
        "may_schedule": check(request.user, "governance.manage_meetings")})


@login_required
@require_POST
def escalation_to_agenda(request: HttpRequest) -> HttpResponse:
    return post_action(request, lambda: services.escalation_to_agenda(by=request.user), success=_listed,
                       to="referrals:escalation")
