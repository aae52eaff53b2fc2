"""Bodies: list, detail, and creation/edition with member structures (no code needed)."""

from copy import copy

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mboa.core.actions import form_page

from .. import selectors, services
from ..forms import BodyForm


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/pages/body_list.html", {"bodies": selectors.body_list_for_user(user=request.user)})


@login_required
def body_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "governance/pages/body_detail.html", selectors.body_page_for_user(user=request.user, code=code))


@login_required
def body_create(request: HttpRequest) -> HttpResponse:
    selectors.body_form_for_user(user=request.user)
    form = BodyForm(request.POST or None)
    return form_page(request, form, lambda: services.body_create(
        by=request.user, code=form.cleaned_data["code"], data=form.body_data(), members=form.members.members()),
        template="governance/pages/body_form.html",
        success=lambda body: _("Body %(code)s created.") % {"code": body.code}, to=lambda body: body)


@login_required
def body_edit(request: HttpRequest, code: str) -> HttpResponse:
    body = selectors.body_form_for_user(user=request.user, code=code)
    # The form works on a copy: the service compares the changes with the stored body.
    form = BodyForm(request.POST or None, instance=copy(body),
                    members=[{"structure": m.structure, "role": m.role} for m in body.current_memberships])
    return form_page(request, form, lambda: services.body_update(
        body=body, by=request.user, data=form.body_data(), members=form.members.members()),
        template="governance/pages/body_form.html", context={"body": body},
        success=_("Changes saved."), to=lambda body: body)
