"""The calendar of a user (meetings, commitment deadlines) as a page and an iCalendar feed."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from .. import ical


def _window() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today - dt.timedelta(days=31), today + dt.timedelta(days=366)


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    start, end = _window()
    events = ical.calendar_events(user=request.user, start=start, end=end)
    feed_url = request.build_absolute_uri(reverse("governance:calendar_feed", args=[ical.feed_token(request.user)]))
    return render(request, "governance/pages/calendar.html", {
        "events": events, "feed_url": feed_url, "today": timezone.localdate(), "nav_current": "meetings",
    })


def _ics_response(request: HttpRequest, user) -> HttpResponse:
    start, end = _window()
    events = ical.calendar_events(user=user, start=start - dt.timedelta(days=335), end=end)
    body = ical.to_ical(events, base_url=f"{request.scheme}://{request.get_host()}", name=f"Mboa · {user}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mboa.ics"'
    return response


@login_required
def calendar_ics(request: HttpRequest) -> HttpResponse:
    return _ics_response(request, request.user)


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed for calendar applications: the signed token stands for the user."""
    user = ical.user_for_token(token)
    if user is None:
        raise Http404
    return _ics_response(request, user)
