"""Directory pages: structures and their focal points."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mboa.core.errors import ApplicationError
from mboa.core.history import history_rows
from mboa.core.permissions import check, require

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
    structure = selectors.structure_get_for_user(user=request.user, code=code)
    focal_points = list(structure.focal_points.all())
    context = {
        "structure": structure,
        "current_focal_points": [fp for fp in focal_points if fp.is_active],
        "former_focal_points": [fp for fp in focal_points if not fp.is_active],
        "history": history_rows(structure) if check(request.user, "actors.view_history", structure) else None,
    }
    return render(request, "actors/pages/structure_detail.html", context)


def _form_page(request, form, template, **context) -> HttpResponse:
    return render(request, template, {"form": form, **context}, status=400 if form.is_bound else 200)


@login_required
def structure_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "actors.add_structure")
    form = StructureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            structure = services.structure_create(by=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Structure %(code)s created.") % {"code": structure.code})
            return redirect("actors:structure_detail", code=structure.code)
    return _form_page(request, form, "actors/pages/structure_form.html")


@login_required
def structure_edit(request: HttpRequest, code: str) -> HttpResponse:
    structure = selectors.structure_get_for_user(user=request.user, code=code)
    require(request.user, "actors.change_structure", structure)
    form = StructureForm(request.POST or None, instance=structure)
    if not request.user.is_admin:
        # Only administrators change a structure's identity; its own staff keep its description.
        for name in ("code", "kind", "parent", "is_active"):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data if not form.fields[name].disabled}
        structure.refresh_from_db()  # the form has set the new values on the instance already
        try:
            services.structure_update(structure=structure, by=request.user, data=data)
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("actors:structure_detail", code=structure.code)
    return _form_page(request, form, "actors/pages/structure_form.html", structure=structure)


@login_required
def focal_point_create(request: HttpRequest, code: str) -> HttpResponse:
    structure = selectors.structure_get_for_user(user=request.user, code=code)
    require(request.user, "actors.add_focalpoint", structure)
    form = FocalPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.focal_point_create(structure=structure, by=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Focal point added."))
            return redirect("actors:structure_detail", code=structure.code)
    return _form_page(request, form, "actors/pages/focal_point_form.html", structure=structure)


@login_required
def focal_point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    focal_point = selectors.focal_point_get_for_user(user=request.user, pk=pk)
    if not check(request.user, "actors.change_focalpoint", focal_point):
        raise PermissionDenied
    form = FocalPointForm(request.POST or None, instance=focal_point)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        # The form has already set the values on the instance: the service compares against
        # the stored row, so reload it first.
        focal_point.refresh_from_db()
        try:
            services.focal_point_update(focal_point=focal_point, by=request.user, data=data)
        except ApplicationError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("actors:structure_detail", code=focal_point.structure.code)
    context = {
        "structure": focal_point.structure,
        "focal_point": focal_point,
        "history": history_rows(focal_point) if check(request.user, "actors.view_history", focal_point) else None,
    }
    return _form_page(request, form, "actors/pages/focal_point_form.html", **context)
