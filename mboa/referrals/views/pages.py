"""Pages: referral board, case tab, send form, inbox, referral detail, delays report,
agreements (list, detail with timeline, escalation), service catalogue.

Each view parses input, fetches through a selector scoped to the user, calls one service
and renders; the rules are in permissions.py and the services.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.errors import ApplicationError
from mboa.core.permissions import check, require
from mboa.core.sensitive import log_read

from .. import agreements, delays, selectors, services
from ..forms import AgreementActionForm, AgreementForm, DelayFilterForm, DocumentForm, ReferralActionForm, ReferralForm
from ..models import AgreementStatus, ReferralStatus, Service
from ..workflows import AGREEMENT, REFERRAL


def _case_for(user, case_id: int):
    from mboa.cases.selectors import case_get_for_user

    return case_get_for_user(user=user, case_id=case_id)


def _annotate_due(referrals, now):
    for r in referrals:
        r.stage_awaited, r.due_at = delays.current_due(r)
        r.overdue = r.due_at is not None and r.due_at < now
    return referrals


@login_required
def board(request: HttpRequest) -> HttpResponse:
    require(request.user, "referrals.view_board")
    status = request.GET.get("status", "")
    structure = request.GET.get("structure", "").strip()
    service = request.GET.get("service", "")
    overdue = request.GET.get("overdue") == "1"
    now = timezone.now()
    qs = selectors.referral_list_for_user(user=request.user, status=status, structure=structure, service=service,
                                          overdue=overdue, now=now)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = {
        "page": page, "referrals": _annotate_due(list(page.object_list), now),
        "board": selectors.board_for_user(user=request.user, structure=structure, service=service),
        "statuses": ReferralStatus.choices, "services": selectors.service_list_for_user(user=request.user),
        "status": status, "structure": structure, "service": service, "overdue": overdue,
    }
    return render(request, "referrals/pages/board.html", context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    require(request.user, "referrals.view_inbox")
    status = request.GET.get("status", "open")
    now = timezone.now()
    qs = selectors.inbox_for_user(user=request.user, status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = {"page": page, "referrals": _annotate_due(list(page.object_list), now), "status": status,
               "statuses": ReferralStatus.choices, "structure": request.user.structure}
    return render(request, "referrals/pages/inbox.html", context)


@login_required
def case_tab(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for(request.user, case_id)
    now = timezone.now()
    referrals = _annotate_due(list(selectors.referral_list_for_user(user=request.user, case=case)), now)
    return render(request, "referrals/pages/case_tab.html", {"case": case, "referrals": referrals})


@login_required
def send(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for(request.user, case_id)
    require(request.user, "referrals.send_referral", case)
    form = ReferralForm(request.POST or None, initial={"structure": request.GET.get("structure")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_send(
                by=request.user, case=case, service=data["service"], structure=data["structure"],
                service_point=data["service_point"], urgency=data["urgency"], reason=data["reason"],
                shared_parts=data["shared_parts"], health_details=data["health_details"],
                consent_override_reason=data["consent_override_reason"], from_reception=data["from_reception"],
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Referral %(number)s sent to %(structure)s.") % {
                "number": referral.number, "structure": referral.structure.code})
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/pages/send.html", {"case": case, "form": form},
                  status=400 if form.is_bound else 200)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, pk=pk)
    shown = [name for name in ("shared_data", "health_details") if getattr(referral, name)]
    if shown:
        log_read(user=request.user, obj=referral, fields=shown, channel="page", purpose="referral")
    now = timezone.now()
    _annotate_due([referral], now)
    context = {
        "referral": referral,
        "actions": REFERRAL.available(referral, request.user),
        "sees_case": check(request.user, "referrals.view_case_data", referral),
        "history": list(referral.history.all()),
        "form": ReferralActionForm(),
    }
    return render(request, "referrals/pages/detail.html", context)


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, pk=pk)
    form = ReferralActionForm(request.POST)
    if form.is_valid():
        try:
            referral = services.referral_transition(referral=referral, action=form.cleaned_data["action"],
                                                    by=request.user, note=form.cleaned_data["note"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Referral %(number)s: %(status)s.") % {
                "number": referral.number, "status": referral.get_status_display()})
    return redirect("referrals:detail", pk=referral.pk)


def _bar_rows(rows, value_key, label_key):
    """Rows for a CSS bar chart: width as a share of the largest value."""
    values = [r[value_key] for r in rows if r[value_key] is not None]
    top = max(values) if values else 0
    return [{"label": r[label_key], "value": r[value_key],
             "width": 0 if not top or r[value_key] is None else round(100 * r[value_key] / top)} for r in rows]


@login_required
def delays_report(request: HttpRequest) -> HttpResponse:
    require(request.user, "referrals.view_delays")
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
    overdue = []
    if check(request.user, "referrals.view_board") or check(request.user, "referrals.view_inbox"):
        overdue = _annotate_due(list(selectors.referral_list_for_user(user=request.user, overdue=True, now=now)[:200]),
                                now)
    names = {s.code: s.name for s in Service.objects.all()}
    names["default"] = _("Any other service")
    for row in table:  # the service's name in the reader's language, not its code
        if "service" in row:
            row["service_name"] = names.get(row["service"], row["service"])
    context = {"form": form, "table": table, "group": group.split(","), "chart": chart, "overdue": overdue,
               "may_schedule": check(request.user, "governance.manage_meetings"),
               "targets": [(names.get(code, code), delays.targets(code)) for code in sorted(
                   {r["service"] for r in table if "service" in r} or {"default"})]}
    return render(request, "referrals/pages/delays.html", context)


@login_required
@require_POST
def overdue_to_agenda(request: HttpRequest) -> HttpResponse:
    try:
        item = services.overdue_to_agenda(by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Listed for the meeting of %(date)s.") % {
            "date": timezone.localtime(item.meeting.starts_at).strftime("%d/%m/%Y")})
    return redirect("referrals:delays")


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    require(request.user, "referrals.view_catalogue")
    points = selectors.service_point_list_for_user(user=request.user, service=request.GET.get("service", ""))
    return render(request, "referrals/pages/catalogue.html", {
        "services": selectors.service_list_for_user(user=request.user), "points": points,
        "service": request.GET.get("service", "")})


# --- Agreements ---------------------------------------------------------------------------------


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "referrals.view_agreements")
    status = request.GET.get("status", "")
    structure = request.GET.get("structure", "").strip()
    now = timezone.now()
    items = list(selectors.agreement_list_for_user(user=request.user, status=status, structure=structure))
    for a in items:
        a.days_with_ball = (now - a.ball_since).days if a.ball_since and a.ball_with else None
    figures = selectors.agreement_figures_for_user(user=request.user, now=now)
    top = max([r["iom_days"] + r["structure_days"] for r in figures] or [0])
    for r in figures:
        r["iom_width"] = round(100 * r["iom_days"] / top) if top else 0
        r["structure_width"] = round(100 * r["structure_days"] / top) if top else 0
    return render(request, "referrals/pages/agreement_list.html", {
        "agreements": items, "figures": figures, "statuses": AgreementStatus.choices, "status": status,
        "structure": structure})


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "referrals.manage_agreements")
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = agreements.agreement_create(by=request.user, structure=data["structure"], kind=data["kind"],
                                                    subject=data["subject"], services=data["services"],
                                                    notes=data["notes"])
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Agreement %(ref)s recorded.") % {"ref": agreement.reference})
            return redirect("referrals:agreement_detail", pk=agreement.pk)
    return render(request, "referrals/pages/agreement_form.html", {"form": form},
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
    try:
        agreement = agreements.agreement_transition(agreement=agreement, action=data["action"], by=request.user,
                                                    note=data["note"], at=data["at"], ball_with=ball)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Agreement %(ref)s: %(status)s.") % {
            "ref": agreement.reference, "status": agreement.get_status_display()})
    return redirect("referrals:agreement_detail", pk=pk)


@login_required
@require_POST
def agreement_document(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    require(request.user, "referrals.add_document", agreement)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            agreements.agreement_document_add(agreement=agreement, by=request.user, title=data["title"],
                                              file=data["file"], version=data["version"], note=data["note"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Document added."))
    else:
        messages.error(request, _("Give a title and choose a file."))
    return redirect("referrals:agreement_detail", pk=pk)


@login_required
def escalation(request: HttpRequest) -> HttpResponse:
    require(request.user, "referrals.manage_agreements")
    now = timezone.now()
    rows = agreements.escalation_list(now=now)
    for a in rows:
        a.days_with_ball = (now - a.ball_since).days
    return render(request, "referrals/pages/escalation.html", {
        "agreements": rows, "may_schedule": check(request.user, "governance.manage_meetings")})


@login_required
@require_POST
def escalation_to_agenda(request: HttpRequest) -> HttpResponse:
    require(request.user, "referrals.manage_agreements")
    try:
        item = services.escalation_to_agenda(by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Listed for the meeting of %(date)s.") % {
            "date": timezone.localtime(item.meeting.starts_at).strftime("%d/%m/%Y")})
    return redirect("referrals:escalation")
