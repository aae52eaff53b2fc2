"""The one shape of a page's POST action: call one service, say what happened, redirect.

::

    @login_required
    @require_POST
    def amended_approve(request, reference):
        dossier = selectors.dossier_get_for_user(user=request.user, reference=reference)
        return post_action(request, lambda: services.amended_dossier_approve(dossier=dossier, by=request.user),
                           success=_("Dossier approved."), to="projects:dossier_detail", reference=reference)

The service decides (``require`` → 403, :class:`ApplicationError` → the message, shown
as an error); the view never holds a rule of its own.

:func:`form_page` is the same for a page with a form: the service's refusal is shown next
to its field and the form is shown again with what the user typed (status 400).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import ApplicationError

T = TypeVar("T")


def post_action(
    request: HttpRequest,
    action: Callable[[], T],
    *,
    to: Any,
    success: str | Callable[[T], str] = "",
    **to_kwargs: Any,
) -> HttpResponse:
    """Run ``action()``; on success show ``success`` (text, or a function of the result);
    on :class:`ApplicationError` show its message. Then redirect to ``to`` (anything
    :func:`django.shortcuts.redirect` takes, with ``to_kwargs``; or a function of the result,
    None after an error). ``PermissionDenied`` and ``Http404`` pass through (403, 404)."""
    result: T | None = None
    try:
        result = action()
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        _say(request, success, result)
    target = to(result) if callable(to) else to
    return redirect(target, **to_kwargs)


def _say(request: HttpRequest, success: str | Callable[[Any], str], result: Any) -> None:
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)


def form_page(
    request: HttpRequest,
    form: Any,
    action: Callable[[], T],
    *,
    template: str,
    to: Any,
    success: str | Callable[[T], str] = "",
    context: dict[str, Any] | None = None,
    **to_kwargs: Any,
) -> HttpResponse:
    """Show ``form`` on ``template`` (with ``context``); on a POST whose form is valid, run
    ``action()`` and redirect as :func:`post_action` does. An :class:`ApplicationError` goes
    next to its field (or above the form) and the form is shown again, status 400; so is
    an invalid form. ``PermissionDenied`` and ``Http404`` pass through (403, 404)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = action()
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            _say(request, success, result)
            return redirect(to(result) if callable(to) else to, **to_kwargs)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, **(context or {})}, status=status)
