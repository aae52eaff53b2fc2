"""Registry pages: search, registration (with the duplicate check), person record, and the
review queue where a case manager compares two records and decides.

Views parse input, fetch through a selector (which checks page access and logs what the
page shows) and call one service (which checks the rule of the write)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.actions import post_action
from mboa.core.errors import ApplicationError
from mboa.core.permissions import check

from .. import selectors, services
from ..finding import SearchLimitReached
from ..forms import FindForm, PersonForm
from ..models import ReviewStatus

PAGE_SIZE = 50
COMPARED_FIELDS = ["name", "date_of_birth", "sex", "document", "phone", "place_of_birth", "nationality", "address"]


def _paginate(request: HttpRequest):
    return lambda queryset: Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    page = selectors.people_page_for_user(user=request.user, query=query, paginate=_paginate(request))
    return render(request, "registry/pages/person_list.html", {"page": page, "query": query, "nav_current": "registry"})


@login_required
def person_find(request: HttpRequest) -> HttpResponse:
    """“Find a returnee” beyond one's cases: a POST (the names searched stay out of addresses
    and proxy logs), a minimal identity shown; 429 past the hourly limit."""
    selectors.find_page_for_user(user=request.user)
    form = FindForm(request.POST or None)
    found = None
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            found = selectors.people_find_for_user(user=request.user, query=form.cleaned_data["q"],
                                                   reason=form.cleaned_data["reason"],
                                                   note=form.cleaned_data["note"])
            status = 200
        except SearchLimitReached as error:
            form.add_error(None, error.message)
            status = 429
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(request, "registry/pages/person_find.html",
                  {"form": form, "found": found, "nav_current": "registry"}, status=status)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    selectors.registration_page_for_user(user=request.user)
    form = PersonForm(request.POST or None)
    matches = []
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(by=request.user, **form.service_arguments())
        except services.PossibleDuplicate as error:
            found = selectors.people_shown_for_user(user=request.user, ids=[m.person_id for m in error.matches])
            matches = [(m, found[m.person_id]) for m in error.matches if m.person_id in found]
            form.data = form.data.copy()
            form.data["confirmed_new"] = "True"
            form.add_error(None, error.message)
            if len(matches) < len(error.matches):  # records outside the counsellor's cases
                form.add_error(None, _("Some of these records are not among the people of your cases: "
                                       "use “Find a returnee” to see who they are."))
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
            return redirect("registry:person_detail", person_id=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "registry/pages/person_form.html",
                  {"form": form, "matches": matches, "nav_current": "registry"}, status=status)


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    page = selectors.person_page_for_user(user=request.user, person_id=person_id)
    context = {
        "person": page.person,
        "merges": page.merges,
        "may_review": check(request.user, "registry.review_duplicates"),
        "nav_current": "registry",
    }
    return render(request, "registry/pages/person_detail.html", context)


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ReviewStatus.OPEN)
    if status not in ReviewStatus.values:
        status = ReviewStatus.OPEN
    page = selectors.duplicates_page_for_user(user=request.user, status=status, paginate=_paginate(request))
    return render(request, "registry/pages/review_list.html",
                  {"page": page, "status": status, "statuses": ReviewStatus.choices, "nav_current": "registry_review"})


@login_required
def review_detail(request: HttpRequest, duplicate_id: int) -> HttpResponse:
    page = selectors.duplicate_page_for_user(user=request.user, duplicate_id=duplicate_id)
    duplicate = page.duplicate
    rows = [(field, duplicate.reasons.get(field, "missing")) for field in COMPARED_FIELDS]
    context = {"duplicate": duplicate, "rows": rows, "active_merge": page.active_merge,
               "nav_current": "registry_review"}
    return render(request, "registry/pages/review_detail.html", context)


@login_required
@require_POST
def review_merge(request: HttpRequest, duplicate_id: int) -> HttpResponse:
    duplicate = selectors.duplicate_get_for_user(user=request.user, duplicate_id=duplicate_id)
    keep = request.POST.get("survivor", "")
    return post_action(
        request,
        lambda: services.duplicate_merge(duplicate=duplicate, survivor_id=int(keep) if keep.isdigit() else 0,
                                         by=request.user, reason=request.POST.get("reason", "")),
        success=lambda merge: _("Records merged into %(name)s. You can undo this from the pair's page.")
        % {"name": merge.survivor.full_name},
        to=lambda merge: reverse("registry:person_detail", args=[merge.survivor_id]) if merge
        else reverse("registry:review_detail", args=[duplicate.pk]),
    )


@login_required
@require_POST
def review_different(request: HttpRequest, duplicate_id: int) -> HttpResponse:
    duplicate = selectors.duplicate_get_for_user(user=request.user, duplicate_id=duplicate_id)
    return post_action(
        request,
        lambda: services.duplicate_mark_different(duplicate=duplicate, by=request.user,
                                                  note=request.POST.get("reason", "")),
        success=_("Noted: different people. This pair will not be proposed again."),
        to=lambda pair: reverse("registry:review_list") if pair else reverse("registry:review_detail",
                                                                                args=[duplicate.pk]),
    )


@login_required
@require_POST
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = selectors.merge_get_for_user(user=request.user, merge_id=merge_id)
    back = (reverse("registry:review_detail", args=[merge.duplicate_id]) if merge.duplicate_id
            else reverse("registry:person_detail", args=[merge.merged_id]))
    return post_action(
        request,
        lambda: services.merge_undo(merge=merge, by=request.user, reason=request.POST.get("reason", "")),
        success=_("Merge undone: the two records are separate again."),
        to=back,
    )
