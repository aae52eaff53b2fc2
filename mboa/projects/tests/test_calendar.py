"""Validation sessions appear in the calendar and the iCalendar feed of those who may see them."""

import datetime as dt

import pytest
from django.utils import timezone

from mboa.governance.ical import calendar_events, to_ical

from .factories import make_session

pytestmark = pytest.mark.django_db


def test_upcoming_validation_session_is_in_the_secretariat_calendar_and_feed(secretariat):
    day = timezone.localdate() + dt.timedelta(days=10)
    session = make_session(by=secretariat, date=day)
    events = calendar_events(user=secretariat, start=day - dt.timedelta(days=1), end=day + dt.timedelta(days=1))
    sessions = [e for e in events if e.kind == "session"]
    assert [e.uid for e in sessions] == [f"validation-session-{session.pk}@mboa"]
    assert session.reference in to_ical(sessions)


def test_session_outside_the_period_is_not_listed(secretariat):
    day = timezone.localdate() + dt.timedelta(days=40)
    make_session(by=secretariat, date=day)
    today = timezone.localdate()
    events = calendar_events(user=secretariat, start=today, end=today + dt.timedelta(days=30))
    assert [e for e in events if e.kind == "session"] == []
