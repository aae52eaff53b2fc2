"""Pages for meetings, their agenda, attendance and minutes, decisions and briefing packs.

Each view parses input, fetches through a selector (404 outside the user's bodies, 403 on
a form the user may not submit), calls one service and renders.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.actions import form_page, post_action
from mboa.core.uploads import serve_upload

from .. import briefing, meetings, selectors
from ..forms import AgendaItemForm, DecisionForm, FollowUpForm, MeetingForm, MinutesForm, submitted
from ..models import Attendance


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/pages/meeting_list.html", {
        **selectors.meeting_list_page_for_user(user=request.user), "nav_current": "meetings",
    })


@login_required
def meeting_create(request: HttpRequest, code: str) -> HttpResponse:
    body = selectors.body_for_meeting_form(user=request.user, code=code)
    form = MeetingForm(request.POST or None)
    return form_page(request, form, lambda: meetings.meeting_create(by=request.user, body=body, **form.cleaned_data),
                     template="governance/pages/meeting_form.html", context={"body": body},
                     success=lambda m: _("Meeting %(ref)s planned.") % {"ref": m.reference}, to=lambda m: m)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = selectors.meeting_page_for_user(user=request.user, meeting_id=pk)
    return render(request, "governance/pages/meeting_detail.html", {
        **context, "agenda_form": AgendaItemForm(), "follow_up_form": FollowUpForm(),
        "minutes_html": render_minutes(context["meeting"].minutes), "nav_current": "meetings",
    })


def render_minutes(text: str) -> str:
    """Markdown without raw HTML (escaped), so minutes can be formatted but not inject scripts."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).render(text or "")


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk)
    form = AgendaItemForm(request.POST)
    return post_action(request, lambda: meetings.agenda_item_add(
        meeting=meeting, by=request.user, **submitted(form, _("An agenda item needs a title."))),
        to=meeting)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """An attachment of the minutes, as a download, for those who see the meeting (404 otherwise)."""
    attachment = selectors.meeting_attachment_get_for_user(user=request.user, meeting_id=pk,
                                                           attachment_id=attachment_id)
    return serve_upload(attachment.file)


@login_required
def meeting_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_form_for_user(user=request.user, meeting_id=pk)
    invitations = list(meeting.invitations.select_related("structure", "focal_point"))
    if request.method == "POST":
        covered = [int(x) for x in request.POST.getlist("covered") if x.isdigit()]
        attendance = {i.pk: request.POST.get(f"attendance-{i.pk}", i.attendance) for i in invitations}
        persons = {i.pk: request.POST.get(f"person-{i.pk}", "").strip()[:200] for i in invitations}
        return post_action(request, lambda: meetings.meeting_mark_held(
            meeting=meeting, by=request.user, covered_item_ids=covered, attendance=attendance, persons=persons),
            success=_("Meeting marked as held; items not covered go to the next meeting."),
            # after a refusal, the page again, with the reason
            to=lambda held: meeting if held else reverse("governance:meeting_held", args=[meeting.pk]))
    return render(request, "governance/pages/meeting_held.html", {
        "meeting": meeting, "agenda": meeting.agenda_items.select_related("presenter"),
        "invitations": invitations, "attendance_choices": Attendance.choices,
    })


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_form_for_user(user=request.user, meeting_id=pk)
    form = MinutesForm(request.POST or None, request.FILES or None, initial={"minutes": meeting.minutes})

    def save():
        data = form.cleaned_data
        attachments = [(data["attachment_title"], data["attachment"])] if data.get("attachment") else []
        return meetings.meeting_record_minutes(meeting=meeting, by=request.user, minutes=data["minutes"],
                                               attachments=attachments)

    return form_page(request, form, save, template="governance/pages/meeting_minutes.html",
                     context={"meeting": meeting}, success=_("Minutes saved."), to=meeting)


@login_required
@require_POST
def meeting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk)
    return post_action(request, lambda: meetings.meeting_approve_minutes(meeting=meeting, by=request.user),
                       success=_("Minutes approved."), to=meeting)


@login_required
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_form_for_user(user=request.user, meeting_id=pk)
    form = DecisionForm(request.POST or None)
    return form_page(request, form, lambda: meetings.decision_record(
        meeting=meeting, by=request.user, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"],
        addressed_to=form.cleaned_data.get("addressed_to"), commitments=form.commitments()),
        template="governance/pages/decision_form.html", context={"meeting": meeting},
        success=lambda d: _("%(ref)s recorded.") % {"ref": d.reference}, to=meeting)


@login_required
@require_POST
def decision_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get_for_user(user=request.user, decision_id=pk)
    form = FollowUpForm(request.POST)
    return post_action(request, lambda: meetings.decision_follow_up(decision=decision, by=request.user,
                                                                    **submitted(form)),
                       to="governance:meeting_detail", pk=decision.meeting_id)


@login_required
def briefing_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk)
    context = briefing.briefing_pack_context(meeting=meeting)
    context["nav_current"] = "meetings"
    return render(request, "governance/pages/briefing.html", context)


@login_required
def briefing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk)
    response = HttpResponse(briefing.briefing_pack_pdf(meeting=meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{meeting.reference}-briefing.pdf"'
    return response
