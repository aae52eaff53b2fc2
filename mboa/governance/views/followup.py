"""Pages for meetings, decisions, commitments, briefing packs and the calendar.

Each view parses input, fetches through a scoped query (404 outside the user's bodies),
calls one service and renders.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.errors import ApplicationError
from mboa.core.permissions import check, require

from .. import briefing, commitments, ical, meetings, queries, selectors
from ..followup_forms import (
    AgendaItemForm,
    DecisionForm,
    DoneForm,
    DropForm,
    FollowUpForm,
    MeetingForm,
    MinutesForm,
    ProgressForm,
)
from ..models import Attendance, CommitmentStatus


def _error(form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "governance.view_meetings")
    qs = queries.meeting_list_for_user(user=request.user)
    now = timezone.now()
    return render(request, "governance/pages/meeting_list.html", {
        "upcoming": list(qs.filter(starts_at__gte=now).order_by("starts_at")),
        "past": list(qs.filter(starts_at__lt=now)[:100]),
        "bodies": selectors.body_list_for_user(user=request.user), "nav_current": "meetings",
    })


@login_required
def meeting_create(request: HttpRequest, code: str) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, code=code)
    require(request.user, "governance.manage_meetings", body)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            meeting = meetings.meeting_create(by=request.user, body=body, **data)
            messages.success(request, _("Meeting %(ref)s planned.") % {"ref": meeting.reference})
            return redirect("governance:meeting_detail", pk=meeting.pk)
        except ApplicationError as error:
            _error(form, error)
    return render(request, "governance/pages/meeting_form.html", {"form": form, "body": body},
                  status=400 if request.method == "POST" else 200)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_get_for_user(user=request.user, meeting_id=pk)
    decisions = meeting.decisions.select_related("addressed_to").prefetch_related("commitments__structure")
    return render(request, "governance/pages/meeting_detail.html", {
        "meeting": meeting,
        "agenda": meeting.agenda_items.select_related("presenter", "commitment", "carried_from__meeting__body"),
        "invitations": meeting.invitations.select_related("structure", "focal_point"),
        "decisions": decisions, "attachments": meeting.attachments.all(),
        "commitments": meeting.commitments.filter(decision__isnull=True).select_related("structure"),
        "may_manage": check(request.user, "governance.manage_meetings", meeting),
        "agenda_form": AgendaItemForm(), "minutes_html": render_minutes(meeting.minutes),
        "follow_up_form": FollowUpForm(),
        "nav_current": "meetings",
    })


def render_minutes(text: str) -> str:
    """Markdown without raw HTML (escaped), so minutes can be formatted but not inject scripts."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).render(text or "")


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_get_for_user(user=request.user, meeting_id=pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            meetings.agenda_item_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("An agenda item needs a title."))
    return redirect("governance:meeting_detail", pk=meeting.pk)


@login_required
def meeting_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_get_for_user(user=request.user, meeting_id=pk)
    require(request.user, "governance.manage_meetings", meeting)
    invitations = list(meeting.invitations.select_related("structure", "focal_point"))
    if request.method == "POST":
        covered = [int(x) for x in request.POST.getlist("covered") if x.isdigit()]
        attendance = {i.pk: request.POST.get(f"attendance-{i.pk}", i.attendance) for i in invitations}
        persons = {i.pk: request.POST.get(f"person-{i.pk}", "").strip()[:200] for i in invitations}
        try:
            meetings.meeting_mark_held(meeting=meeting, by=request.user, covered_item_ids=covered,
                                       attendance=attendance, persons=persons)
            messages.success(request, _("Meeting marked as held; items not covered go to the next meeting."))
            return redirect("governance:meeting_detail", pk=meeting.pk)
        except ApplicationError as error:
            messages.error(request, error.message)
    return render(request, "governance/pages/meeting_held.html", {
        "meeting": meeting, "agenda": meeting.agenda_items.select_related("presenter"),
        "invitations": invitations, "attendance_choices": Attendance.choices,
    })


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_get_for_user(user=request.user, meeting_id=pk)
    require(request.user, "governance.manage_meetings", meeting)
    form = MinutesForm(request.POST or None, request.FILES or None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        attachments = [(data["attachment_title"], data["attachment"])] if data.get("attachment") else []
        try:
            meetings.meeting_record_minutes(meeting=meeting, by=request.user, minutes=data["minutes"],
                                            attachments=attachments)
            messages.success(request, _("Minutes saved."))
            return redirect("governance:meeting_detail", pk=meeting.pk)
        except ApplicationError as error:
            _error(form, error)
    return render(request, "governance/pages/meeting_minutes.html", {"meeting": meeting, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def meeting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_get_for_user(user=request.user, meeting_id=pk)
    try:
        meetings.meeting_approve_minutes(meeting=meeting, by=request.user)
        messages.success(request, _("Minutes approved."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("governance:meeting_detail", pk=meeting.pk)


@login_required
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_get_for_user(user=request.user, meeting_id=pk)
    require(request.user, "governance.manage_meetings", meeting)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = meetings.decision_record(meeting=meeting, by=request.user, kind=data["kind"], text=data["text"],
                                                addressed_to=data.get("addressed_to"), commitments=form.commitments())
            messages.success(request, _("%(ref)s recorded.") % {"ref": decision.reference})
            return redirect("governance:meeting_detail", pk=meeting.pk)
        except ApplicationError as error:
            _error(form, error)
    return render(request, "governance/pages/decision_form.html", {"meeting": meeting, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def decision_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    decision = queries.decision_get_for_user(user=request.user, decision_id=pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            meetings.decision_follow_up(decision=decision, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
    return redirect("governance:meeting_detail", pk=decision.meeting_id)


@login_required
def briefing_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_get_for_user(user=request.user, meeting_id=pk)
    context = briefing.briefing_pack_context(meeting=meeting)
    context["nav_current"] = "meetings"
    return render(request, "governance/pages/briefing.html", context)


@login_required
def briefing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_get_for_user(user=request.user, meeting_id=pk)
    response = HttpResponse(briefing.briefing_pack_pdf(meeting=meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{meeting.reference}-briefing.pdf"'
    return response


@login_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("mine") == "1"
    status = request.GET.get("status", "active")
    qs = queries.commitment_list_for_user(user=request.user, mine=mine, status=status or None)
    return render(request, "governance/pages/commitment_list.html", {
        "commitments": qs[:500], "mine": mine, "status": status, "statuses": CommitmentStatus.choices,
        "today": timezone.localdate(), "nav_current": "commitments",
    })


@login_required
def commitment_stats(request: HttpRequest) -> HttpResponse:
    require(request.user, "governance.view_commitment_stats")
    body = None
    if request.GET.get("body"):
        body = selectors.body_get_for_user(user=request.user, code=request.GET["body"])
    return render(request, "governance/pages/commitment_stats.html", {
        "rows": commitments.commitment_stats_by_structure(body=body), "body": body,
        "bodies": selectors.body_list_for_user(user=request.user), "nav_current": "commitments",
    })


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = queries.commitment_get_for_user(user=request.user, commitment_id=pk)
    return render(request, "governance/pages/commitment_detail.html", {
        "commitment": commitment, "updates": commitment.updates.select_related("by"),
        "escalations": commitment.escalations.all(),
        "may_update": check(request.user, "governance.update_commitment", commitment),
        "may_drop": check(request.user, "governance.manage_meetings", commitment),
        "progress_form": ProgressForm(), "done_form": DoneForm(), "drop_form": DropForm(),
        "today": timezone.localdate(), "nav_current": "commitments",
    })


def _commitment_action(request, pk, form_class, call):
    commitment = queries.commitment_get_for_user(user=request.user, commitment_id=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(commitment, form.cleaned_data)
            messages.success(request, _("Saved."))
        except ApplicationError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("governance:commitment_detail", pk=commitment.pk)


@login_required
@require_POST
def commitment_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _commitment_action(request, pk, ProgressForm, lambda c, d: commitments.commitment_add_update(
        commitment=c, by=request.user, note=d["note"], progress=d.get("progress")))


@login_required
@require_POST
def commitment_done(request: HttpRequest, pk: int) -> HttpResponse:
    return _commitment_action(request, pk, DoneForm, lambda c, d: commitments.commitment_mark_done(
        commitment=c, by=request.user, done_on=d.get("done_on"), note=d.get("note", "")))


@login_required
@require_POST
def commitment_drop(request: HttpRequest, pk: int) -> HttpResponse:
    return _commitment_action(request, pk, DropForm, lambda c, d: commitments.commitment_drop(
        commitment=c, by=request.user, reason=d["reason"]))


def _window(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today - dt.timedelta(days=31), today + dt.timedelta(days=366)


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    start, end = _window(request)
    events = ical.calendar_events(user=request.user, start=start, end=end)
    feed_url = request.build_absolute_uri(reverse("governance:calendar_feed", args=[ical.feed_token(request.user)]))
    return render(request, "governance/pages/calendar.html", {
        "events": events, "feed_url": feed_url, "today": timezone.localdate(), "nav_current": "meetings",
    })


def _ics_response(request: HttpRequest, user) -> HttpResponse:
    start, end = _window(request)
    events = ical.calendar_events(user=user, start=start - dt.timedelta(days=335), end=end)
    body = ical.to_ical(events, base_url=f"{request.scheme}://{request.get_host()}", name=f"Mboa · {user}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mboa.ics"'
    return response


@login_required
def calendar_ics(request: HttpRequest) -> HttpResponse:
    return _ics_response(request, request.user)


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed for calendar applications: the signed token stands for the user."""
    user = ical.user_for_token(token)
    if user is None:
        raise Http404
    return _ics_response(request, user)

