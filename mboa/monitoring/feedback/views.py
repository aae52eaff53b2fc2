"""Pages: the feedback queue (and the officers' queue of complaints against staff), log a
feedback, its detail with responses and closure; satisfaction after a step; community
projects; awareness activities. And the SMS gateway's signed webhook.

Each view parses input, fetches through a selector scoped to the user (which checks the
page's rule and logs the reads), calls one service and renders.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mboa.core.actions import form_page, post_action
from mboa.core.permissions import check

from . import selectors, services, webhook
from .forms import (
    AwarenessForm,
    BeneficiariesForm,
    CloseForm,
    CommunityProjectForm,
    FeedbackForm,
    RespondForm,
    SatisfactionForm,
)
from .models import AgeGroup, Channel, FeedbackStatus, Step

log = logging.getLogger(__name__)
T = "monitoring/feedback/"


def _queue(request: HttpRequest, *, staff: bool) -> HttpResponse:
    filters = {"status": request.GET.get("status", "pending"), "category": request.GET.get("category", ""),
               "channel": request.GET.get("channel", "")}
    shown = selectors.feedback_page_for_user(user=request.user, page=request.GET.get("page"), staff=staff, **filters)
    return render(request, T + "feedback_list.html", {
        **shown, **filters, "staff": staff, "statuses": FeedbackStatus.choices, "channels": Channel.choices})


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    return _queue(request, staff=False)


@login_required
def feedback_staff_list(request: HttpRequest) -> HttpResponse:
    return _queue(request, staff=True)


@login_required
def feedback_create(request: HttpRequest) -> HttpResponse:
    selectors.feedback_form_for_user(user=request.user)
    form = FeedbackForm(request.POST or None)

    def log_it():
        data = form.cleaned_data
        return services.feedback_log(
            by=request.user, kind=data["kind"], channel=data["channel"], category=data["category"], text=data["text"],
            case=selectors.case_by_number_for_user(user=request.user, number=data["case_number"]),
            contact_phone=data["contact_phone"].strip(), received_at=data["received_at"],
            against_staff=data["against_staff"])

    def said(feedback) -> str:
        if feedback.against_staff:
            return _("Complaint %(number)s recorded and sent to the designated officer only.") % {
                "number": feedback.number}
        return _("Feedback %(number)s recorded.") % {"number": feedback.number}

    def to(feedback):
        if check(request.user, "monitoring.view_feedback", feedback):
            return reverse("monitoring:feedback_detail", kwargs={"pk": feedback.pk})
        return reverse("monitoring:feedback_create")

    return form_page(request, form, log_it, template=T + "feedback_form.html", to=to, success=said)


@login_required
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_detail_for_user(user=request.user, pk=pk)
    return render(request, T + "feedback_detail.html", {
        "feedback": feedback, "respond_form": RespondForm(), "close_form": CloseForm()})


@login_required
@require_POST
def feedback_respond(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_get_for_user(user=request.user, pk=pk)
    form = RespondForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return post_action(request, lambda: services.feedback_respond(feedback=feedback, by=request.user, text=text),
                       success=_("Response recorded."), to="monitoring:feedback_detail", pk=pk)


@login_required
@require_POST
def feedback_close(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_get_for_user(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    resolution = form.cleaned_data["resolution"] if form.is_valid() else ""
    return post_action(request, lambda: services.feedback_close(feedback=feedback, by=request.user,
                                                                resolution=resolution),
                       success=_("Feedback closed."), to="monitoring:feedback_detail", pk=pk)


# --- Satisfaction ----------------------------------------------------------------------


@login_required
def satisfaction_list(request: HttpRequest) -> HttpResponse:
    shown = selectors.satisfaction_page_for_user(user=request.user, page=request.GET.get("page"),
                                                 step=request.GET.get("step", ""))
    return render(request, T + "satisfaction_list.html", shown)


@login_required
def satisfaction_record(request: HttpRequest, step: str, pk: int) -> HttpResponse:
    obj = selectors.step_get_for_user(user=request.user, step=step, pk=pk)
    form = SatisfactionForm(request.POST or None)

    def record():
        data = form.cleaned_data
        if data["ask_by_sms"]:
            return services.satisfaction_ask(by=request.user, step=step, obj=obj)
        return services.satisfaction_record(by=request.user, step=step, obj=obj, score=data["score"],
                                            comment=data["comment"])

    def said(row) -> str:
        if row.score is None:
            return _("Question asked: the returnee answers by SMS “NOTE %(code)s” followed by a score from 1 "
                     "to 5.") % {"code": row.code}
        return _("Satisfaction recorded: %(score)s/5.") % {"score": row.score}

    return form_page(request, form, record, template=T + "satisfaction_form.html", to=request.path, success=said,
                     context={"step": Step(step), "obj": obj})


# --- Community projects ------------------------------------------------------------------


@login_required
def community_list(request: HttpRequest) -> HttpResponse:
    filters = {"region": request.GET.get("region", ""), "status": request.GET.get("status", "")}
    return render(request, T + "community_list.html", {
        **selectors.community_page_for_user(user=request.user, page=request.GET.get("page"), **filters), **filters})


@login_required
def community_create(request: HttpRequest) -> HttpResponse:
    selectors.community_form_for_user(user=request.user)
    form = CommunityProjectForm(request.POST or None)
    return form_page(request, form, lambda: services.community_project_create(by=request.user, **form.cleaned_data),
                     template=T + "community_form.html", success=_("Community project recorded."),
                     to=lambda p: reverse("monitoring:community_detail", kwargs={"pk": p.pk}))


@login_required
def community_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shown = selectors.community_detail_for_user(user=request.user, pk=pk)
    return render(request, T + "community_detail.html", {"shown": shown, "project": shown.project,
                                                          "age_groups": AgeGroup.choices})


@login_required
def community_beneficiaries(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.community_get_for_user(user=request.user, pk=pk)
    selectors.community_form_for_user(user=request.user, project=project)
    current = {(b.sex, b.age_group): b.count for b in project.beneficiaries.all()}
    form = BeneficiariesForm(request.POST or None, initial_counts=current)
    return form_page(request, form, lambda: services.community_beneficiaries_set(
        project=project, by=request.user, counts=form.counts()), template=T + "beneficiaries_form.html",
        context={"project": project}, success=_("Beneficiaries recorded."), to="monitoring:community_detail", pk=pk)


# --- Awareness activities ----------------------------------------------------------------


@login_required
def awareness_list(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "")
    return render(request, T + "awareness_list.html", {
        **selectors.awareness_page_for_user(user=request.user, page=request.GET.get("page"), region=region),
        "region": region})


@login_required
def awareness_create(request: HttpRequest) -> HttpResponse:
    selectors.awareness_form_for_user(user=request.user)
    form = AwarenessForm(request.POST or None)

    def create():
        data = dict(form.cleaned_data)
        data.pop("speaker_cases")
        speakers = selectors.speakers_for_user(user=request.user, case_numbers=form.case_numbers())
        return services.awareness_activity_create(by=request.user, speakers=speakers, **data)

    return form_page(request, form, create, template=T + "awareness_form.html",
                     success=_("Awareness activity recorded."),
                     to=lambda a: reverse("monitoring:awareness_detail", kwargs={"pk": a.pk}))


@login_required
def awareness_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, T + "awareness_detail.html",
                  {"activity": selectors.awareness_detail_for_user(user=request.user, pk=pk)})


# --- The SMS gateway's webhook -------------------------------------------------------------


@csrf_exempt
@require_POST
def sms_webhook(request: HttpRequest) -> HttpResponse:
    """An SMS from the gateway (see webhook.py for the signature). 403 for a call that is
    not signed, wrongly signed or out of date; 400 for a signed call without a sender."""
    try:
        digest = webhook.verify(body=request.body, timestamp=request.headers.get(webhook.TIMESTAMP_HEADER),
                                signature=request.headers.get(webhook.SIGNATURE_HEADER))
    except webhook.Refused as refused:
        log.warning("SMS webhook refused: %s", refused)
        return JsonResponse({"detail": "forbidden"}, status=403)
    try:
        payload = json.loads(request.body)
        sender, text = str(payload["from"]).strip(), str(payload.get("text", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return JsonResponse({"detail": "expected JSON with from and text"}, status=400)
    try:
        received_at = parse_datetime(str(payload.get("received_at") or ""))
    except ValueError:
        received_at = None
    if received_at is not None and received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=dt.UTC)
    if not sender:
        return JsonResponse({"detail": "expected JSON with from and text"}, status=400)
    sms, created = services.sms_receive(digest=digest, sender=sender, text=text, received_at=received_at)
    return JsonResponse({"status": "recorded" if created else "duplicate",
                         "kind": "satisfaction" if sms.satisfaction_id else "feedback"})

