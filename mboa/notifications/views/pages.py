"""Outbox (administrators), preferences (everyone), body broadcasts (secretariat, co-chairs)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.errors import ApplicationError
from mboa.core.permissions import require
from mboa.governance.selectors import body_get_for_user

from .. import selectors, services
from ..forms import BroadcastForm, PreferenceForm
from ..models import MessageStatus, Preference


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    require(request.user, "notifications.view_outbox")
    status = request.GET.get("status") or ""
    qs = selectors.message_list_for_user(user=request.user, status=status or None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/pages/outbox.html", {
        "page": page, "status": status, "statuses": MessageStatus.choices, "counts": selectors.outbox_counts(),
        "nav_current": "notifications",
    })


@login_required
@require_POST
def message_retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get_for_user(user=request.user, message_id=pk)
    try:
        services.message_retry(message=message, by=request.user)
        messages.success(request, _("The message will be sent again."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("notifications:outbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    instance = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    form = PreferenceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your preferences are saved."))
            return redirect("notifications:preferences")
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(request, "notifications/pages/preferences.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def broadcast_create(request: HttpRequest, code: str) -> HttpResponse:
    body = body_get_for_user(user=request.user, code=code)
    require(request.user, "notifications.broadcast", body)
    form = BroadcastForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            broadcast = services.broadcast_send(body=body, by=request.user, **form.cleaned_data)
            messages.success(request, _("Message sent to the focal points of %(body)s.") % {"body": body.code})
            return redirect("notifications:broadcast_detail", pk=broadcast.pk)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    recipients = services.body_broadcast_recipients(body=body)
    return render(request, "notifications/pages/broadcast_form.html", {
        "form": form, "body": body, "recipients": recipients,
        "broadcasts": selectors.broadcast_list_for_user(user=request.user, body=body)[:20],
    }, status=400 if request.method == "POST" else 200)


@login_required
def broadcast_detail(request: HttpRequest, pk: int) -> HttpResponse:
    broadcast = selectors.broadcast_get_for_user(user=request.user, broadcast_id=pk)
    rows = broadcast.messages.select_related("recipient_focal_point__structure").order_by(
        "recipient_focal_point__structure__code", "recipient_name")
    return render(request, "notifications/pages/broadcast_detail.html", {"broadcast": broadcast, "rows": rows})
