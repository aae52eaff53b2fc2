"""A body's broadcast: writing to its focal points (secretariat, co-chairs), and its delivery."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mboa.core.actions import form_page

from .. import broadcasts, selectors
from ..forms import BroadcastForm


@login_required
def broadcast_create(request: HttpRequest, code: str) -> HttpResponse:
    context = selectors.broadcast_form_for_user(user=request.user, code=code)
    body = context["body"]
    form = BroadcastForm(request.POST or None)
    return form_page(request, form, lambda: broadcasts.broadcast_send(body=body, by=request.user, **form.cleaned_data),
                     template="governance/pages/broadcast_form.html", context=context,
                     success=_("Message sent to the focal points of %(body)s.") % {"body": body.code},
                     to=lambda broadcast: broadcast)


@login_required
def broadcast_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = selectors.broadcast_page_for_user(user=request.user, broadcast_id=pk)
    return render(request, "governance/pages/broadcast_detail.html", context)
