"""Pages for commitments: the list, on-time figures, one commitment and its follow-up."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mboa.core.actions import post_action

from .. import commitments, selectors
from ..forms import DoneForm, DropForm, ProgressForm, submitted
from ..models import CommitmentStatus


@login_required
def commitment_list(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("mine") == "1"
    status = request.GET.get("status", "active")
    qs = selectors.commitment_list_for_user(user=request.user, mine=mine, status=status or None)
    return render(request, "governance/pages/commitment_list.html", {
        "commitments": qs[:500], "mine": mine, "status": status, "statuses": CommitmentStatus.choices,
        "today": timezone.localdate(), "nav_current": "commitments",
    })


@login_required
def commitment_stats(request: HttpRequest) -> HttpResponse:
    context = selectors.commitment_stats_for_user(user=request.user, body_code=request.GET.get("body", ""))
    return render(request, "governance/pages/commitment_stats.html", {**context, "nav_current": "commitments"})


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = selectors.commitment_page_for_user(user=request.user, commitment_id=pk)
    return render(request, "governance/pages/commitment_detail.html", {
        **context, "progress_form": ProgressForm(), "done_form": DoneForm(), "drop_form": DropForm(),
        "today": timezone.localdate(), "nav_current": "commitments",
    })


def _commitment_action(request: HttpRequest, pk: int, form_class, call) -> HttpResponse:
    """Run ``call(commitment, data)`` with the posted form's data; back to the commitment."""
    commitment = selectors.commitment_get_for_user(user=request.user, commitment_id=pk)
    form = form_class(request.POST)
    return post_action(request, lambda: call(commitment, submitted(form)), success=_("Saved."),
                       to="governance:commitment_detail", pk=commitment.pk)


@login_required
@require_POST
def commitment_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _commitment_action(request, pk, ProgressForm, lambda c, d: commitments.commitment_add_update(
        commitment=c, by=request.user, note=d["note"], progress=d.get("progress")))


@login_required
@require_POST
def commitment_done(request: HttpRequest, pk: int) -> HttpResponse:
    return _commitment_action(request, pk, DoneForm, lambda c, d: commitments.commitment_mark_done(
        commitment=c, by=request.user, done_on=d.get("done_on"), note=d.get("note", "")))


@login_required
@require_POST
def commitment_drop(request: HttpRequest, pk: int) -> HttpResponse:
    return _commitment_action(request, pk, DropForm, lambda c, d: commitments.commitment_drop(
        commitment=c, by=request.user, reason=d["reason"]))
