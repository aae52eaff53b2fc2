"""Pages of the projects app: parse input, fetch through a scoped selector, call one service.

The services decide who may write (403) and what may be written (the message); the page
selectors decide who may open a page (403, 404) and log the reads of people's names.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.actions import post_action
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.uploads import serve_upload
from mboa.registry.selectors import person_list_for_user

from .. import selectors, services
from ..diff import version_diff
from ..forms import (
    BudgetLineFormSet,
    DeterminationForm,
    DossierFilterForm,
    DossierForm,
    MemberFormSet,
    PurchaseForm,
    ReviewForm,
    SessionForm,
    SurvivalFilterForm,
    VisitForm,
    VisitMissForm,
)
from ..models import CRITERIA, Outcome, VisitMode
from ..outcomes import survival_xlsx
from ..synthesis import session_synthesis as compute_synthesis

# --- Dossiers ---------------------------------------------------------------------------------


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    form = DossierFilterForm(request.GET or None)
    page = selectors.dossier_list_page(user=request.user, filters=form.filters(), page_number=request.GET.get("page"))
    return render(request, "projects/pages/dossier_list.html", {"form": form, "page": page, "nav_current": "projects"})


def _members_from(formset, user) -> list[dict]:
    rows = []
    people = person_list_for_user(user=user)
    for index, f in enumerate(formset.forms, start=1):
        data = f.cleaned_data if f.is_valid() else {}
        if not data or not (data.get("person") or data.get("family_name")):
            continue
        row = {"family_name": data.get("family_name"), "given_names": data.get("given_names"), "sex": data.get("sex"),
               "returned_on": data.get("returned_on")}
        if data.get("person"):
            person = people.filter(pk=data["person"]).first()
            if person is None:
                raise ApplicationError(_("Member %(n)s: no person number %(id)s in the registry.") % {
                    "n": index, "id": data["person"]}, field="members")
            row.update(person=person, is_returnee=True)
        else:
            row["is_returnee"] = False
        rows.append(row)
    return rows


def _lines_from(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.is_valid() and f.cleaned_data.get("item")]


def _dossier_form(request: HttpRequest, reference: str | None = None) -> HttpResponse:
    start = selectors.dossier_form_for_user(user=request.user, reference=reference)
    dossier = start.dossier
    form = DossierForm(request.POST or None, initial=start.initial)
    lines = BudgetLineFormSet(request.POST or None, prefix="lines", initial=start.lines)
    members = MemberFormSet(request.POST or None, prefix="members", initial=start.members)
    if request.method == "POST" and form.is_valid() and lines.is_valid() and members.is_valid():
        try:
            member_rows = _members_from(members, request.user)
            if dossier is None:
                dossier = services.dossier_create(by=request.user, kind=form.cleaned_data["kind"],
                                                  data=form.version_data(), members=member_rows,
                                                  budget_lines=_lines_from(lines))
                messages.success(request, _("Dossier %(ref)s created.") % {"ref": dossier.reference})
            else:
                services.dossier_edit(dossier=dossier, by=request.user, data=form.version_data(),
                                      budget_lines=_lines_from(lines), members=member_rows,
                                      kind=form.cleaned_data["kind"])
                messages.success(request, _("Changes saved."))
            return redirect("projects:dossier_detail", reference=dossier.reference)
        except ApplicationError as error:
            form.add_error(None, error.message)
    return render(request, "projects/pages/dossier_form.html",
                  {"form": form, "lines": lines, "members": members, "dossier": dossier, "nav_current": "projects"},
                  status=400 if request.method == "POST" else 200)


@login_required
def dossier_create(request: HttpRequest) -> HttpResponse:
    return _dossier_form(request)


@login_required
def dossier_edit(request: HttpRequest, reference: str) -> HttpResponse:
    return _dossier_form(request, reference)


@login_required
def dossier_detail(request: HttpRequest, reference: str) -> HttpResponse:
    page = selectors.dossier_page_for_user(user=request.user, reference=reference)
    return render(request, "projects/pages/dossier_detail.html", {
        **vars(page), "purchase_form": PurchaseForm(),
        "visit_form": VisitForm(initial={"visited_on": timezone.localdate()}), "nav_current": "projects"})


@login_required
@require_POST
def dossier_submit(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    return post_action(request, lambda: services.dossier_submit(dossier=dossier, by=request.user),
                       success=_("Dossier submitted."), to="projects:dossier_detail", reference=reference)


@login_required
def dossier_diff(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    versions = {v.number: v for v in dossier.versions.all()}
    try:
        a, b = int(request.GET.get("a", 1)), int(request.GET.get("b", max(versions)))
        old, new = versions[a], versions[b]
    except (KeyError, ValueError):
        raise Http404 from None
    return render(request, "projects/pages/dossier_diff.html",
                  {"dossier": dossier, "diff": version_diff(old, new), "numbers": sorted(versions),
                   "nav_current": "projects"})


@login_required
def decision_letter(request: HttpRequest, reference: str) -> HttpResponse:
    language = "en" if request.GET.get("lang") == "en" else "fr"
    dossier, pdf = selectors.decision_letter_for_user(user=request.user, reference=reference, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{dossier.reference}-{language}.pdf"'
    return response


@login_required
@require_POST
def amendment_tick(request: HttpRequest, reference: str, amendment_id: int) -> HttpResponse:
    amendment = selectors.amendment_get_for_user(user=request.user, reference=reference, amendment_id=amendment_id)
    return post_action(request, lambda: services.amendment_tick(amendment=amendment, by=request.user),
                       to="projects:dossier_detail", reference=reference)


@login_required
@require_POST
def amended_approve(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    return post_action(request, lambda: services.amended_dossier_approve(dossier=dossier, by=request.user),
                       success=_("Dossier approved."), to="projects:dossier_detail", reference=reference)


@login_required
@require_POST
def purchase_create(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    form = PurchaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Purchase: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("projects:dossier_detail", reference=reference)
    line = None
    if form.cleaned_data.get("budget_line") and dossier.current_version_id:
        line = dossier.current_version.budget_lines.filter(pk=form.cleaned_data["budget_line"]).first()
    return post_action(request, lambda: services.purchase_create(
        dossier=dossier, by=request.user, description=form.cleaned_data["description"],
        supplier=form.cleaned_data["supplier"], amount_xaf=form.cleaned_data["amount_xaf"], budget_line=line),
        to="projects:dossier_detail", reference=reference)


@login_required
@require_POST
def purchase_action(request: HttpRequest, reference: str, purchase_id: int, action: str) -> HttpResponse:
    purchase = selectors.purchase_get_for_user(user=request.user, purchase_id=purchase_id, reference=reference)
    return post_action(request, lambda: services.purchase_transition(
        purchase=purchase, by=request.user, action=action, received_by=request.POST.get("received_by", ""),
        proof=request.FILES.get("proof"), over_budget_reason=request.POST.get("over_budget_reason", "")),
        to="projects:dossier_detail", reference=reference)


@login_required
def purchase_proof(request: HttpRequest, reference: str, purchase_id: int) -> HttpResponse:
    """The proof of receipt of a purchase, as a download, for those who see the dossier (404 otherwise)."""
    purchase = selectors.purchase_get_for_user(user=request.user, purchase_id=purchase_id, reference=reference)
    if not purchase.proof:
        raise Http404
    return serve_upload(purchase.proof)


@login_required
@require_POST
def visit_create(request: HttpRequest, reference: str) -> HttpResponse:
    """A visit recorded from the dossier page (it fulfils the planned visit due, if any)."""
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    form = VisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Visit: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("projects:dossier_detail", reference=reference)
    data = form.cleaned_data
    return post_action(request, lambda: services.visit_record(
        dossier=dossier, by=request.user, visited_on=data["visited_on"], status=data["status"], notes=data["notes"],
        mode=data["mode"] or VisitMode.ON_SITE), success=_("Visit recorded."), to="projects:dossier_detail",
        reference=reference)


# --- Follow-up visits -------------------------------------------------------------------------


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    page = selectors.visits_page_for_user(user=request.user)
    return render(request, "projects/pages/visit_list.html", {"page": page, "nav_current": "projects_visits"})


@login_required
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = selectors.visit_page_for_user(user=request.user, visit_id=visit_id)
    return render(request, "projects/pages/visit_detail.html", {
        "visit": visit, "form": VisitForm(initial={"visited_on": timezone.localdate()}),
        "miss_form": VisitMissForm(), "today": timezone.localdate(), "nav_current": "projects_visits"})


@login_required
@require_POST
def visit_complete(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, visit_id=visit_id)
    form = VisitForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return post_action(request, lambda: services.visit_complete(
        visit=visit, by=request.user, visited_on=data.get("visited_on"), mode=data.get("mode") or "",
        status=data.get("status") or "", notes=data.get("notes") or ""),
        success=_("Visit recorded."), to="projects:visit_detail", visit_id=visit.pk)


@login_required
@require_POST
def visit_miss(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, visit_id=visit_id)
    form = VisitMissForm(request.POST)
    form.is_valid()
    return post_action(request, lambda: services.visit_miss(
        visit=visit, by=request.user, reason=form.cleaned_data.get("reason") or "",
        note=form.cleaned_data.get("note") or ""),
        success=_("Visit marked as missed."), to="projects:visit_detail", visit_id=visit.pk)


@login_required
def survival(request: HttpRequest) -> HttpResponse:
    """Project survival at 6 and 12 months per dimension; ``?format=xlsx`` downloads it."""
    form = SurvivalFilterForm(request.GET or None)
    tables = selectors.survival_page_for_user(user=request.user, filters=form.filters())
    months = [int(m) for m in setting("PROJECTS", "SURVIVAL_MONTHS")]
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(survival_xlsx(tables, months),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="project-survival-{timezone.localdate()}.xlsx"'
        return response
    return render(request, "projects/pages/survival.html", {
        "form": form, "tables": tables, "months": months, "query": request.GET.urlencode(),
        "nav_current": "projects"})


# --- Sessions ---------------------------------------------------------------------------------


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = selectors.session_list_page(user=request.user)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = services.session_create(by=request.user, **form.cleaned_data)
        return redirect("projects:session_detail", reference=session.reference)
    return render(request, "projects/pages/session_list.html",
                  {"sessions": sessions, "form": form, "nav_current": "projects_sessions"},
                  status=400 if request.method == "POST" else 200)


@login_required
def session_detail(request: HttpRequest, reference: str) -> HttpResponse:
    filter_form = DossierFilterForm(request.GET or None)
    page = selectors.session_page_for_user(user=request.user, reference=reference,
                                           page_number=request.GET.get("page"), filters=filter_form.filters(),
                                           select=bool(request.GET.get("select")))
    if page.synthesis_only:
        return redirect("projects:session_synthesis", reference=reference)
    return render(request, "projects/pages/session_detail.html", {
        **vars(page), "filter_form": filter_form, "outcomes": Outcome.choices,
        "spread_alert": setting("PROJECTS", "SPREAD_ALERT"), "nav_current": "projects_sessions"})


def _to_session(reference: str):
    return {"to": "projects:session_detail", "reference": reference}


@login_required
@require_POST
def session_attendance(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    present = {}  # structure id -> the representative's name, or True
    for key in request.POST:
        structure_id = key.removeprefix("present_")
        if key.startswith("present_") and structure_id.isdigit() and request.POST.get(key):
            present[int(structure_id)] = request.POST.get(f"rep_{structure_id}", "").strip() or True
    return post_action(request, lambda: services.session_attendance_set(session=session, by=request.user,
                                                                        present=present),
                       success=lambda result: _("Attendance saved: %(present)s present, %(needed)s needed.") % result,
                       **_to_session(reference))


@login_required
@require_POST
def session_reviewers(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    ids = [int(i) for i in request.POST.getlist("reviewers") if i.isdigit()]
    reviewers = selectors.reviewer_choices(session=session).filter(pk__in=ids)
    return post_action(request, lambda: services.session_reviewers_set(session=session, by=request.user,
                                                                       reviewers=reviewers),
                       success=_("Reviewers saved."), **_to_session(reference))


@login_required
@require_POST
def agenda_add(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    candidates = selectors.agenda_candidates(user=request.user, filters=DossierFilterForm(request.POST).filters())
    return post_action(request, lambda: services.agenda_add(session=session, by=request.user,
                                                            dossiers=list(candidates)),
                       success=lambda result: _("%(added)s dossiers put on the agenda.") % result,
                       **_to_session(reference))


@login_required
def session_synthesis(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    return render(request, "projects/pages/session_synthesis.html",
                  {"session": session, "s": compute_synthesis(session), "quorum": services.quorum(session),
                   "nav_current": "projects_sessions"})


@login_required
@require_POST
def session_determine(request: HttpRequest, reference: str) -> HttpResponse:
    """Batch determination: a first POST shows the confirmation; ``confirm=1`` records it."""
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()]
    items = list(selectors.agenda_items_for_user(user=request.user, session=session, ids=ids))
    outcome = request.POST.get("outcome", "")
    reasons = request.POST.get("reasons", "")
    if not request.POST.get("confirm"):
        return render(request, "projects/pages/session_confirm.html",
                      {"session": session, "items": items, "outcome": outcome, "reasons": reasons,
                       "outcome_label": dict(Outcome.choices).get(outcome, outcome),
                       "nav_current": "projects_sessions"})
    return post_action(
        request, lambda: services.determinations_record(session=session, by=request.user, items=items,
                                                        outcome=outcome, reasons=reasons),
        success=lambda batch: _("%(n)s determinations recorded. You can undo them until %(t)s.") % {
            "n": batch.count, "t": timezone.localtime(batch.undo_until).strftime("%H:%M")},
        **_to_session(reference))


@login_required
@require_POST
def session_close(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    return post_action(request, lambda: services.session_close(session=session, by=request.user),
                       success=_("Session closed."), **_to_session(reference))


@login_required
@require_POST
def batch_undo(request: HttpRequest, reference: str, batch_id: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    batch = selectors.batch_get_for_user(user=request.user, session=session, batch_id=batch_id)
    return post_action(request, lambda: services.batch_undo(batch=batch, by=request.user),
                       success=_("Determination undone."), **_to_session(reference))


@login_required
def item_detail(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    """One dossier in the session: analysis sheet, reviews, recommendations, determination."""
    form = DeterminationForm(request.POST or None)
    if request.method == "POST":
        session = selectors.session_get_for_user(user=request.user, reference=reference)
        item = selectors.item_get_for_user(user=request.user, session=session, item_id=item_id)
        back = {"to": "projects:item_detail", "reference": reference, "item_id": item.pk}
        action = request.POST.get("action")
        if action == "analysis":
            return post_action(request, lambda: services.analysis_save(
                item=item, by=request.user, summary=request.POST.get("summary", ""),
                strengths=request.POST.get("strengths", ""), weaknesses=request.POST.get("weaknesses", "")), **back)
        if action == "recommend":
            return post_action(request, lambda: services.recommendation_add(
                item=item, by=request.user, text=request.POST.get("text", "")), **back)
        if form.is_valid():
            return post_action(request, lambda: services.determinations_record(
                session=session, by=request.user, items=[item], outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"], amendments=form.amendment_list()),
                success=_("Determination recorded."), **back)
    page = selectors.item_page_for_user(user=request.user, reference=reference, item_id=item_id)
    return render(request, "projects/pages/item_detail.html",
                  {**vars(page), "form": form, "criteria": CRITERIA, "nav_current": "projects_sessions"},
                  status=400 if request.method == "POST" else 200)


# --- Fast review ------------------------------------------------------------------------------


def _review_response(request: HttpRequest, reference: str, item_id: int, template: str, form=None,
                     error: str | None = None) -> HttpResponse:
    """The review form of one dossier: blank or with the user's scores, or ``form`` sent back
    with its errors (400)."""
    page = selectors.review_page_for_user(user=request.user, reference=reference, item_id=item_id)
    status = 400 if form is not None else 200
    if form is None:
        existing = page.existing
        form = ReviewForm(initial={c: getattr(existing, c) for c in CRITERIA} | {"comment": existing.comment}
                          if existing else None)
    return render(request, template, {**vars(page), "form": form, "error": error, "nav_current": "projects_sessions"},
                  status=status)


@login_required
def review_start(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.review_session_for_user(user=request.user, reference=reference)
    item = selectors.next_item_to_review(user=request.user, session=session)
    if item is None:
        messages.success(request, _("You have scored every dossier of this session."))
        return redirect("projects:session_detail", reference=reference)
    return redirect("projects:review_item", reference=reference, item_id=item.pk)


@login_required
def review_item(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    """The keyboard-driven review form. POST records the scores and answers with the next
    dossier's form (HTMX swap, no page load); GET shows one dossier."""
    template = "projects/partials/review_form.html" if request.htmx else "projects/pages/review.html"
    if request.method != "POST":
        return _review_response(request, reference, item_id, template)
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    item = selectors.item_get_for_user(user=request.user, session=session, item_id=item_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _review_response(request, reference, item_id, template, form=form)
    try:
        services.review_record(item=item, by=request.user, scores=form.cleaned_data,
                               comment=form.cleaned_data.get("comment") or "")
    except ApplicationError as error:
        return _review_response(request, reference, item_id, template, form=form, error=error.message)
    following = selectors.next_item_to_review(user=request.user, session=session, after=item.position)
    if following is None:
        messages.success(request, _("You have scored every dossier of this session."))
        url = reverse("projects:session_detail", args=[reference])
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    if not request.htmx:
        return redirect("projects:review_item", reference=reference, item_id=following.pk)
    response = _review_response(request, reference, following.pk, template)
    response["HX-Push-Url"] = reverse("projects:review_item", args=[reference, following.pk])
    return response


# --- Minutes ----------------------------------------------------------------------------------


@login_required
def minutes(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    if request.method == "POST":
        services.minutes_request(session=session, by=request.user)
        session.refresh_from_db()
    if request.GET.get("format") == "json":
        return JsonResponse({"status": session.minutes_status, "progress": session.minutes_progress,
                             "url": reverse("projects:minutes_download", args=[session.reference])
                             if session.minutes_status == "done" else None})
    template = "projects/partials/minutes_progress.html" if request.htmx else "projects/pages/minutes.html"
    return render(request, template, {"session": session, "nav_current": "projects_sessions"})


@login_required
def minutes_download(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    if not session.minutes_pdf:
        raise Http404
    return serve_upload(session.minutes_pdf, download_name=f"minutes-{session.reference}.pdf")
