"""Bodies: list, detail, and creation/edition with member structures (no code needed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mboa.core.errors import ApplicationError
from mboa.core.history import history_rows
from mboa.core.permissions import check, require

from .. import selectors, services
from ..forms import BodyForm, MemberFormSet
from ..services import BODY_FIELDS


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/pages/body_list.html", {"bodies": selectors.body_list_for_user(user=request.user)})


@login_required
def body_detail(request: HttpRequest, code: str) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, code=code)
    former = body.memberships.filter(end_date__isnull=False).select_related("structure")
    context = {
        "body": body,
        "former_memberships": former,
        "history": history_rows(body) if check(request.user, "governance.view_history", body) else None,
    }
    return render(request, "governance/pages/body_detail.html", context)


def _save(request, form, formset, body=None) -> HttpResponse | None:
    if not (form.is_valid() and formset.is_valid()):
        return None
    data = {name: form.cleaned_data.get(name) for name in BODY_FIELDS}
    data["mandate"] = data.get("mandate") or ""
    try:
        if body is None:
            body = services.body_create(
                by=request.user, code=form.cleaned_data["code"], data=data, members=formset.members()
            )
            messages.success(request, _("Body %(code)s created.") % {"code": body.code})
        else:
            body.refresh_from_db()
            services.body_update(body=body, by=request.user, data=data, members=formset.members())
            messages.success(request, _("Changes saved."))
    except ApplicationError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None
    return redirect("governance:body_detail", code=body.code)


@login_required
def body_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "governance.add_body")
    form = BodyForm(request.POST or None)
    formset = MemberFormSet(request.POST or None, prefix="members")
    if request.method == "POST":
        response = _save(request, form, formset)
        if response:
            return response
    return render(request, "governance/pages/body_form.html", {"form": form, "formset": formset},
                  status=400 if request.method == "POST" else 200)


@login_required
def body_edit(request: HttpRequest, code: str) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, code=code)
    require(request.user, "governance.change_body", body)
    initial = [{"structure": m.structure, "role": m.role} for m in body.current_memberships]
    form = BodyForm(request.POST or None, instance=body)
    form.fields["code"].disabled = True
    formset = MemberFormSet(request.POST or None, prefix="members", initial=initial)
    if request.method == "POST":
        response = _save(request, form, formset, body=body)
        if response:
            return response
    return render(request, "governance/pages/body_form.html", {"form": form, "formset": formset, "body": body},
                  status=400 if request.method == "POST" else 200)
