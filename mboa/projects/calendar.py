"""Validation sessions in the users' calendar and iCalendar feed (mboa.governance.ical)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from mboa.governance.ical import Event, register_event_provider

from .selectors import session_list_for_user


def _sessions(user, start: dt.date, end: dt.date) -> list[Event]:
    sessions = session_list_for_user(user=user).filter(date__gte=start, date__lte=end).select_related("body")
    return [
        Event(uid=f"validation-session-{s.pk}@mboa", title=_("Validation session %(reference)s · %(body)s") % {
                  "reference": s.reference, "body": s.body.code},
              start=s.date, end=None, kind="session",
              url=reverse("projects:session_detail", args=[s.reference]), location=s.place)
        for s in sessions
    ]


register_event_provider("projects.sessions", _sessions)
