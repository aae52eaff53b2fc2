"""Pages of the projects app: parse input, fetch through a scoped selector, call one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.accounts.models import User
from mboa.core.conf import setting
from mboa.core.errors import ApplicationError
from mboa.core.permissions import check, require
from mboa.core.sensitive import log_read
from mboa.registry.models import Person

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
    VisitForm,
)
from ..models import (
    CRITERIA,
    DossierMember,
    Outcome,
    Review,
    SessionAttendance,
)
from ..profitability import for_version
from ..synthesis import session_synthesis as compute_synthesis

# --- Dossiers ---------------------------------------------------------------------------------


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "projects.view_dossiers")
    form = DossierFilterForm(request.GET or None)
    qs = selectors.dossier_list_for_user(user=request.user, filters=form.filters()).order_by("-created_at", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "projects/pages/dossier_list.html", {"form": form, "page": page, "nav_current": "projects"})


def _members_initial(dossier) -> list[dict]:
    return [{"person": m.person_id, "family_name": m.family_name, "given_names": m.given_names, "sex": m.sex,
             "returned_on": m.returned_on} for m in dossier.members.all()]


def _members_from(formset, user) -> list[dict]:
    rows = []
    for index, f in enumerate(formset.forms, start=1):
        data = f.cleaned_data if f.is_valid() else {}
        if not data or not (data.get("person") or data.get("family_name")):
            continue
        row = {"family_name": data.get("family_name"), "given_names": data.get("given_names"), "sex": data.get("sex"),
               "returned_on": data.get("returned_on")}
        if data.get("person"):
            person = Person.objects.filter(pk=data["person"], status="active").first()
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


def _dossier_form(request: HttpRequest, dossier=None) -> HttpResponse:
    version = services.working_version(dossier) if dossier else None
    initial = {}
    if version:
        initial = {name: getattr(version, name) for name in services.VERSION_FIELDS}
        initial["kind"] = dossier.kind
    form = DossierForm(request.POST or None, initial=initial)
    lines = BudgetLineFormSet(request.POST or None, prefix="lines", initial=[
        {"item": ln.item, "quantity": ln.quantity, "unit_cost_xaf": ln.unit_cost_xaf, "supplier": ln.supplier}
        for ln in version.budget_lines.all()] if version else None)
    members = MemberFormSet(request.POST or None, prefix="members",
                            initial=_members_initial(dossier) if dossier else None)
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
    require(request.user, "projects.add_dossier")
    return _dossier_form(request)


@login_required
def dossier_edit(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    require(request.user, "projects.change_dossier", dossier)
    return _dossier_form(request, dossier)


@login_required
def dossier_detail(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    version = services.working_version(dossier)
    current = dossier.current_version or version
    members = list(dossier.members.select_related("person"))
    log_read(user=request.user, obj=dossier, fields=["members.family_name", "members.given_names"],
             purpose="dossier page")
    determinations = list(dossier.determinations.select_related("session", "version", "decided_by")
                          .prefetch_related("amendments__ticked_version"))
    asked = services.open_amendment_determination(dossier)
    context = {
        "dossier": dossier, "version": version, "current": current, "members": members,
        "lines": list(version.budget_lines.all()), "profit": for_version(version),
        "breaches": services.dossier_breaches(dossier=dossier, version=version)
        if dossier.status in services.EDITABLE_STATUSES and not version.is_submitted else [],
        "versions": list(dossier.versions.only("id", "number", "submitted_at", "budget_xaf")),
        "determinations": determinations, "asked": asked,
        "purchases": list(dossier.purchases.select_related("budget_line")),
        "visits": list(dossier.visits.all()),
        "purchase_form": PurchaseForm(), "visit_form": VisitForm(initial={"visited_on": timezone.localdate()}),
        "current_lines": list(current.budget_lines.all()) if current else [],
        "nav_current": "projects",
    }
    return render(request, "projects/pages/dossier_detail.html", context)


@login_required
@require_POST
def dossier_submit(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    try:
        services.dossier_submit(dossier=dossier, by=request.user)
        messages.success(request, _("Dossier submitted."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("projects:dossier_detail", reference=reference)


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
    from ..minutes import decision_letter_pdf

    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    language = "en" if request.GET.get("lang") == "en" else "fr"
    log_read(user=request.user, obj=dossier, fields=["members.family_name"], channel="export",
             purpose="decision letter")
    response = HttpResponse(decision_letter_pdf(dossier, language=language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{dossier.reference}-{language}.pdf"'
    return response


@login_required
@require_POST
def amendment_tick(request: HttpRequest, reference: str, amendment_id: int) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    asked = services.open_amendment_determination(dossier)
    amendment = asked.amendments.filter(pk=amendment_id).first() if asked else None
    if amendment is None:
        raise Http404
    try:
        services.amendment_tick(amendment=amendment, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("projects:dossier_detail", reference=reference)


@login_required
@require_POST
def amended_approve(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    try:
        services.amended_dossier_approve(dossier=dossier, by=request.user)
        messages.success(request, _("Dossier approved."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("projects:dossier_detail", reference=reference)


@login_required
@require_POST
def purchase_create(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    form = PurchaseForm(request.POST)
    if form.is_valid():
        line = None
        if form.cleaned_data.get("budget_line") and dossier.current_version_id:
            line = dossier.current_version.budget_lines.filter(pk=form.cleaned_data["budget_line"]).first()
        try:
            services.purchase_create(dossier=dossier, by=request.user, description=form.cleaned_data["description"],
                                     supplier=form.cleaned_data["supplier"], amount_xaf=form.cleaned_data["amount_xaf"],
                                     budget_line=line)
        except ApplicationError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Purchase: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("projects:dossier_detail", reference=reference)


@login_required
@require_POST
def purchase_action(request: HttpRequest, reference: str, purchase_id: int, action: str) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    purchase = dossier.purchases.filter(pk=purchase_id).first()
    if purchase is None:
        raise Http404
    try:
        services.purchase_transition(purchase=purchase, by=request.user, action=action,
                                     received_by=request.POST.get("received_by", ""), proof=request.FILES.get("proof"),
                                     over_budget_reason=request.POST.get("over_budget_reason", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("projects:dossier_detail", reference=reference)


@login_required
@require_POST
def visit_create(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
    form = VisitForm(request.POST)
    if form.is_valid():
        try:
            services.visit_record(dossier=dossier, by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Visit: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("projects:dossier_detail", reference=reference)


# --- Sessions ---------------------------------------------------------------------------------


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "projects.view_synthesis")
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "projects.manage_sessions")
        if form.is_valid():
            session = services.session_create(by=request.user, **form.cleaned_data)
            return redirect("projects:session_detail", reference=session.reference)
    return render(request, "projects/pages/session_list.html",
                  {"sessions": selectors.session_list_for_user(user=request.user), "form": form,
                   "nav_current": "projects_sessions"}, status=400 if request.method == "POST" else 200)


def _agenda(session, user):
    items = (session.items.select_related("dossier", "dossier__sector", "dossier__filiere", "dossier__region")
             .order_by("position", "id"))
    if check(user, "projects.review", session):
        items = items.prefetch_related(Prefetch("reviews", queryset=Review.objects.filter(reviewer=user),
                                                to_attr="my_reviews"))
    return items


@login_required
def session_detail(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    if not check(request.user, "projects.view_sessions"):
        return redirect("projects:session_synthesis", reference=reference)
    page = Paginator(_agenda(session, request.user), 100).get_page(request.GET.get("page"))
    filter_form = DossierFilterForm(request.GET or None)
    candidates = None
    if request.GET.get("select") and check(request.user, "projects.manage_sessions"):
        candidates = selectors.agenda_candidates(user=request.user, filters=filter_form.filters())
    context = {
        "session": session, "page": page, "quorum": services.quorum(session),
        "attendance": list(session.attendance.select_related("structure")),
        "reviewers": list(session.reviewers.select_related("structure")),
        "reviewer_choices": User.objects.filter(is_active=True, structure__memberships__body=session.body,
                                                structure__memberships__end_date__isnull=True)
        .select_related("structure").order_by("structure__code", "username").distinct(),
        "batches": list(session.batches.filter(undone_at__isnull=True, undo_until__gte=timezone.now())[:5]),
        "filter_form": filter_form, "candidates": candidates,
        "candidate_count": candidates.count() if candidates is not None else None,
        "outcomes": Outcome.choices, "spread_alert": setting("PROJECTS", "SPREAD_ALERT"), "nav_current": "projects_sessions",
    }
    return render(request, "projects/pages/session_detail.html", context)


@login_required
@require_POST
def session_attendance(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    present = {}
    for row in SessionAttendance.objects.filter(session=session):
        if request.POST.get(f"present_{row.structure_id}"):
            present[row.structure_id] = request.POST.get(f"rep_{row.structure_id}", "").strip() or True
    result = services.session_attendance_set(session=session, by=request.user, present=present)
    messages.success(request, _("Attendance saved: %(present)s present, %(needed)s needed.") % result)
    return redirect("projects:session_detail", reference=reference)


@login_required
@require_POST
def session_reviewers(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    ids = [int(i) for i in request.POST.getlist("reviewers") if i.isdigit()]
    services.session_reviewers_set(session=session, by=request.user, reviewers=User.objects.filter(pk__in=ids))
    messages.success(request, _("Reviewers saved."))
    return redirect("projects:session_detail", reference=reference)


@login_required
@require_POST
def agenda_add(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    filters = DossierFilterForm(request.POST).filters()
    candidates = selectors.agenda_candidates(user=request.user, filters=filters)
    try:
        result = services.agenda_add(session=session, by=request.user, dossiers=list(candidates))
        messages.success(request, _("%(added)s dossiers put on the agenda.") % result)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("projects:session_detail", reference=reference)


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
    require(request.user, "projects.determine", session)
    ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()]
    items = list(session.items.filter(pk__in=ids).select_related("dossier"))
    outcome = request.POST.get("outcome", "")
    reasons = request.POST.get("reasons", "")
    if not request.POST.get("confirm"):
        return render(request, "projects/pages/session_confirm.html",
                      {"session": session, "items": items, "outcome": outcome, "reasons": reasons,
                       "outcome_label": dict(Outcome.choices).get(outcome, outcome),
                       "nav_current": "projects_sessions"})
    try:
        batch = services.determinations_record(session=session, by=request.user, items=items, outcome=outcome,
                                               reasons=reasons)
        messages.success(request, _("%(n)s determinations recorded. You can undo them until %(t)s.") % {
            "n": batch.count, "t": timezone.localtime(batch.undo_until).strftime("%H:%M")})
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("projects:session_detail", reference=reference)


@login_required
@require_POST
def session_close(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    try:
        services.session_close(session=session, by=request.user)
        messages.success(request, _("Session closed."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("projects:session_detail", reference=reference)


@login_required
@require_POST
def batch_undo(request: HttpRequest, reference: str, batch_id: int) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    batch = session.batches.filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    try:
        services.batch_undo(batch=batch, by=request.user)
        messages.success(request, _("Determination undone."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("projects:session_detail", reference=reference)


@login_required
def item_detail(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    """One dossier in the session: analysis sheet, reviews, recommendations, determination."""
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    item = selectors.item_get_for_user(user=request.user, session=session, item_id=item_id)
    form = DeterminationForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "analysis":
                services.analysis_save(item=item, by=request.user, summary=request.POST.get("summary", ""),
                                       strengths=request.POST.get("strengths", ""),
                                       weaknesses=request.POST.get("weaknesses", ""))
            elif action == "recommend":
                services.recommendation_add(item=item, by=request.user, text=request.POST.get("text", ""))
            elif form.is_valid():
                services.determinations_record(session=session, by=request.user, items=[item],
                                               outcome=form.cleaned_data["outcome"],
                                               reasons=form.cleaned_data["reasons"],
                                               amendments=form.amendment_list())
                messages.success(request, _("Determination recorded."))
            return redirect("projects:item_detail", reference=reference, item_id=item.pk)
        except ApplicationError as error:
            messages.error(request, error.message)
    log_read(user=request.user, obj=item.dossier, fields=["members.family_name"], purpose="session item")
    return render(request, "projects/pages/item_detail.html", {
        "session": session, "item": item, "version": item.version, "profit": for_version(item.version),
        "members": list(DossierMember.objects.filter(dossier=item.dossier_id)),
        "lines": list(item.version.budget_lines.all()),
        "reviews": list(item.reviews.select_related("reviewer", "structure")),
        "recommendations": list(item.recommendations.select_related("structure")),
        "determinations": list(item.dossier.determinations.filter(session=session)
                               .prefetch_related("amendments")),
        "form": form, "criteria": CRITERIA, "nav_current": "projects_sessions",
    }, status=400 if request.method == "POST" else 200)


# --- Fast review ------------------------------------------------------------------------------


def _review_context(request, session, item) -> dict:
    existing = item.reviews.filter(reviewer=request.user).first()
    initial = {c: getattr(existing, c) for c in CRITERIA} | {"comment": existing.comment} if existing else None
    following = selectors.next_item_to_review(user=request.user, session=session, after=item.position)
    if following and following.pk == item.pk:
        following = None
    done = Review.objects.filter(item__session=session, reviewer=request.user).count()
    return {"session": session, "item": item, "version": item.version, "profit": for_version(item.version),
            "lines": list(item.version.budget_lines.all()),
            "members": list(DossierMember.objects.filter(dossier=item.dossier_id)),
            "form": ReviewForm(initial=initial), "following": following, "done": done,
            "total": session.items.count(), "existing": existing, "nav_current": "projects_sessions"}


@login_required
def review_start(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    require(request.user, "projects.review", session)
    item = selectors.next_item_to_review(user=request.user, session=session)
    if item is None:
        messages.success(request, _("You have scored every dossier of this session."))
        return redirect("projects:session_detail", reference=reference)
    return redirect("projects:review_item", reference=reference, item_id=item.pk)


@login_required
def review_item(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    """The keyboard-driven review form. POST records the scores and answers with the next
    dossier's form (HTMX swap, no page load); GET shows one dossier."""
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    require(request.user, "projects.review", session)
    item = selectors.item_get_for_user(user=request.user, session=session, item_id=item_id)
    template = "projects/partials/review_form.html" if request.htmx else "projects/pages/review.html"
    if request.method == "POST":
        form = ReviewForm(request.POST)
        error = None
        if form.is_valid():
            try:
                services.review_record(item=item, by=request.user, scores=form.cleaned_data,
                                       comment=form.cleaned_data.get("comment") or "")
            except ApplicationError as exc:
                error = exc.message
            else:
                following = selectors.next_item_to_review(user=request.user, session=session, after=item.position)
                if following is None:
                    messages.success(request, _("You have scored every dossier of this session."))
                    url = reverse("projects:session_detail", args=[reference])
                    if request.htmx:
                        response = HttpResponse(status=204)
                        response["HX-Redirect"] = url
                        return response
                    return redirect(url)
                if request.htmx:
                    following = selectors.item_get_for_user(user=request.user, session=session,
                                                            item_id=following.pk)
                    log_read(user=request.user, obj=following.dossier, fields=["members.family_name"],
                             purpose="review")
                    response = render(request, template, _review_context(request, session, following))
                    response["HX-Push-Url"] = reverse("projects:review_item", args=[reference, following.pk])
                    return response
                return redirect("projects:review_item", reference=reference, item_id=following.pk)
        context = _review_context(request, session, item)
        context["form"] = form
        context["error"] = error
        return render(request, template, context, status=400)
    log_read(user=request.user, obj=item.dossier, fields=["members.family_name"], purpose="review")
    return render(request, template, _review_context(request, session, item))


# --- Minutes ----------------------------------------------------------------------------------


@login_required
def minutes(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    if request.method == "POST":
        services.minutes_request(session=session, by=request.user)
        session.refresh_from_db()
    if request.GET.get("format") == "json":
        return JsonResponse({"status": session.minutes_status, "progress": session.minutes_progress,
                             "url": session.minutes_pdf.url if session.minutes_status == "done" else None})
    template = "projects/partials/minutes_progress.html" if request.htmx else "projects/pages/minutes.html"
    return render(request, template, {"session": session, "nav_current": "projects_sessions"})


@login_required
def minutes_download(request: HttpRequest, reference: str) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, reference=reference)
    if not session.minutes_pdf:
        raise Http404
    response = HttpResponse(session.minutes_pdf.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{session.reference}.pdf"'
    return response


