"""Registry pages: search, registration (with the duplicate check), person record, and the
review queue where a case manager compares two records and decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.errors import ApplicationError
from mboa.core.permissions import check, require
from mboa.core.sensitive import log_read

from .. import selectors, services
from ..forms import PersonForm
from ..models import ReviewStatus
from ..sensitive import PERSON_FIELDS_SHOWN

PAGE_SIZE = 50
COMPARED_FIELDS = ["name", "date_of_birth", "sex", "document", "phone", "place_of_birth", "nationality", "address"]


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "registry.view_people")
    query = request.GET.get("q", "")
    people = selectors.person_list_for_user(user=request.user, query=query)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/pages/person_list.html", {"page": page, "query": query, "nav_current": "registry"})


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "registry.add_person")
    form = PersonForm(request.POST or None)
    matches = []
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(by=request.user, **form.service_arguments())
        except services.PossibleDuplicate as error:
            ids = [m.person_id for m in error.matches]
            found = {p.pk: p for p in selectors.person_list_for_user(user=request.user).filter(pk__in=ids)}
            matches = [(m, found[m.person_id]) for m in error.matches if m.person_id in found]
            form.data = form.data.copy()
            form.data["confirmed_new"] = "True"
            form.add_error(None, error.message)
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
    person = selectors.person_get_for_user(user=request.user, person_id=person_id)
    log_read(user=request.user, obj=person, fields=PERSON_FIELDS_SHOWN, purpose="person record")
    context = {
        "person": person,
        "merges": selectors.merges_of_person(person=person),
        "may_review": check(request.user, "registry.review_duplicates"),
        "nav_current": "registry",
    }
    return render(request, "registry/pages/person_detail.html", context)


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "registry.review_duplicates")
    status = request.GET.get("status", ReviewStatus.OPEN)
    if status not in ReviewStatus.values:
        status = ReviewStatus.OPEN
    pairs = selectors.duplicate_list_for_user(user=request.user, status=status)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/pages/review_list.html",
                  {"page": page, "status": status, "statuses": ReviewStatus.choices, "nav_current": "registry_review"})


@login_required
def review_detail(request: HttpRequest, duplicate_id: int) -> HttpResponse:
    duplicate = selectors.duplicate_get_for_user(user=request.user, duplicate_id=duplicate_id)
    for person in (duplicate.person_a, duplicate.person_b):
        log_read(user=request.user, obj=person, fields=PERSON_FIELDS_SHOWN, purpose="duplicate review")
    rows = [(field, duplicate.reasons.get(field, "missing")) for field in COMPARED_FIELDS]
    active_merge = next((m for m in duplicate.merges.all() if m.undone_at is None), None)
    context = {"duplicate": duplicate, "rows": rows, "active_merge": active_merge, "nav_current": "registry_review"}
    return render(request, "registry/pages/review_detail.html", context)


@login_required
@require_POST
def review_merge(request: HttpRequest, duplicate_id: int) -> HttpResponse:
    duplicate = selectors.duplicate_get_for_user(user=request.user, duplicate_id=duplicate_id)
    keep = request.POST.get("survivor")
    if keep not in {str(duplicate.person_a_id), str(duplicate.person_b_id)}:
        messages.error(request, _("Choose the record to keep."))
        return redirect("registry:review_detail", duplicate_id=duplicate.pk)
    survivor, merged = ((duplicate.person_a, duplicate.person_b) if keep == str(duplicate.person_a_id)
                        else (duplicate.person_b, duplicate.person_a))
    try:
        services.person_merge(survivor=survivor, merged=merged, by=request.user, duplicate=duplicate,
                              reason=request.POST.get("reason", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("registry:review_detail", duplicate_id=duplicate.pk)
    messages.success(request, _("Records merged into %(name)s. You can undo this from the pair's page.")
                     % {"name": survivor.full_name})
    return redirect("registry:person_detail", person_id=survivor.pk)


@login_required
@require_POST
def review_different(request: HttpRequest, duplicate_id: int) -> HttpResponse:
    duplicate = selectors.duplicate_get_for_user(user=request.user, duplicate_id=duplicate_id)
    try:
        services.duplicate_mark_different(duplicate=duplicate, by=request.user, note=request.POST.get("reason", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("registry:review_detail", duplicate_id=duplicate.pk)
    messages.success(request, _("Noted: different people. This pair will not be proposed again."))
    return redirect("registry:review_list")


@login_required
@require_POST
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = selectors.merge_get_for_user(user=request.user, merge_id=merge_id)
    try:
        services.merge_undo(merge=merge, by=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Merge undone: the two records are separate again."))
    if merge.duplicate_id:
        return redirect("registry:review_detail", duplicate_id=merge.duplicate_id)
    return redirect("registry:person_detail", person_id=merge.merged_id)


