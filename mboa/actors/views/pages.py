"""Directory pages: structures and their focal points."""

from copy import copy

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mboa.core.actions import form_page
from mboa.core.permissions import check

from .. import selectors, services
from ..forms import FocalPointForm, StructureForm
from ..models import StructureKind


@login_required
def structure_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    structures = selectors.structure_list_for_user(
        user=request.user, search=search, kind=kind, include_inactive=request.GET.get("all") == "1"
    )
    context = {"structures": structures, "q": search, "kind": kind, "kinds": StructureKind.choices}
    if request.htmx and request.htmx.target == "structure-results":
        return render(request, "actors/partials/structure_rows.html", context)
    return render(request, "actors/pages/structure_list.html", context)


@login_required
def structure_detail(request: HttpRequest, code: str) -> HttpResponse:
    context = selectors.structure_page_for_user(user=request.user, code=code)
    return render(request, "actors/pages/structure_detail.html", context)


@login_required
def structure_create(request: HttpRequest) -> HttpResponse:
    selectors.structure_form_for_user(user=request.user)
    form = StructureForm(request.POST or None)
    return form_page(request, form, lambda: services.structure_create(by=request.user, data=form.cleaned_data),
                     template="actors/pages/structure_form.html",
                     success=lambda s: _("Structure %(code)s created.") % {"code": s.code},
                     to=lambda structure: structure)


@login_required
def structure_edit(request: HttpRequest, code: str) -> HttpResponse:
    structure = selectors.structure_form_for_user(user=request.user, code=code)
    # The form works on a copy: the service compares the changes with the stored structure.
    form = StructureForm(request.POST or None, instance=copy(structure),
                         lock_identity=not check(request.user, "actors.change_structure_identity", structure))
    return form_page(request, form,
                     lambda: services.structure_update(structure=structure, by=request.user, data=form.changes()),
                     template="actors/pages/structure_form.html", context={"structure": structure},
                     success=_("Changes saved."), to=lambda structure: structure)


@login_required
def focal_point_create(request: HttpRequest, code: str) -> HttpResponse:
    structure, _none, _history = selectors.focal_point_form_for_user(user=request.user, code=code)
    form = FocalPointForm(request.POST or None)
    return form_page(request, form,
                     lambda: services.focal_point_create(structure=structure, by=request.user, data=form.cleaned_data),
                     template="actors/pages/focal_point_form.html", context={"structure": structure},
                     success=_("Focal point added."), to=structure)


@login_required
def focal_point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    structure, focal_point, history = selectors.focal_point_form_for_user(user=request.user, pk=pk)
    form = FocalPointForm(request.POST or None, instance=copy(focal_point))
    return form_page(request, form,
                     lambda: services.focal_point_update(focal_point=focal_point, by=request.user, data=form.changes()),
                     template="actors/pages/focal_point_form.html",
                     context={"structure": structure, "focal_point": focal_point, "history": history},
                     success=_("Changes saved."), to=structure)
