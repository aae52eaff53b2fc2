"""Outbox (administrators) and preferences (everyone)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.actions import form_page, post_action

from .. import selectors, services
from ..forms import PreferenceForm


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    context = selectors.outbox_page_for_user(user=request.user, status=request.GET.get("status") or "",
                                             page=request.GET.get("page"))
    return render(request, "notifications/pages/outbox.html", {**context, "nav_current": "notifications"})


@login_required
@require_POST
def message_retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get_for_user(user=request.user, message_id=pk)
    return post_action(request, lambda: services.message_retry(message=message, by=request.user),
                       success=_("The message will be sent again."), to="notifications:outbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST or None, instance=selectors.preference_for_user(user=request.user))
    return form_page(request, form,
                     lambda: services.preference_update(user=request.user, by=request.user, **form.cleaned_data),
                     template="notifications/pages/preferences.html",
                     success=_("Your preferences are saved."), to="notifications:preferences")
