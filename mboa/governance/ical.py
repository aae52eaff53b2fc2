"""The calendar of a user: meetings of their bodies and deadlines of their commitments.

The iCalendar feed is written by hand (RFC 5545, a few properties): calendar clients
cannot sign in, so the feed URL carries a signed token naming the user; a token is
refused once the user is deactivated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ACTIVE_COMMITMENT_STATUSES, MeetingStatus
from .selectors import commitment_list_for_user, meeting_list_for_user

TOKEN_SALT = "mboa.governance.calendar"  # noqa: S105 - a signing salt, not a secret


@dataclass
class Event:
    uid: str
    title: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None
    kind: str  # meeting, deadline
    url: str
    location: str = ""
    late: bool = False


EventProvider = Callable[[Any, dt.date, dt.date], list[Event]]
_providers: dict[str, EventProvider] = {}


def register_event_provider(key: str, provider: EventProvider) -> None:
    """Other apps add their dated things (e.g. validation sessions) to the calendar and feed."""
    _providers[key] = provider


def calendar_events(*, user: Any, start: dt.date, end: dt.date) -> list[Event]:
    from django.urls import reverse

    events: list[Event] = []
    for provider in _providers.values():
        events.extend(provider(user, start, end))
    meetings = meeting_list_for_user(user=user).filter(starts_at__date__gte=start, starts_at__date__lte=end)
    for m in meetings:
        events.append(Event(
            uid=f"meeting-{m.pk}@mboa", title=f"{m.reference} · {m.get_kind_display()}{' · ' + m.title if m.title else ''}",
            start=m.starts_at, end=m.ends_at or m.starts_at + dt.timedelta(hours=2), kind="meeting",
            url=reverse("governance:meeting_detail", args=[m.pk]), location=m.place or m.online_url,
        ))
    commitments = commitment_list_for_user(user=user, mine=bool(user.structure_id) and not _overseer(user)).filter(
        status__in=ACTIVE_COMMITMENT_STATUSES, deadline__gte=start, deadline__lte=end)
    today = timezone.localdate()
    for c in commitments:
        events.append(Event(
            uid=f"commitment-{c.pk}@mboa", title=_("Deadline: %(structure)s · %(title)s") % {
                "structure": c.structure.code, "title": c.title},
            start=c.deadline, end=None, kind="deadline", url=reverse("governance:commitment_detail", args=[c.pk]),
            late=c.deadline < today,
        ))
    return sorted(events, key=lambda e: (e.start if isinstance(e.start, dt.datetime)
                                         else dt.datetime.combine(e.start, dt.time.min, tzinfo=dt.UTC)))


def _overseer(user: Any) -> bool:
    from .permissions import sees_all_governance

    return sees_all_governance(user)


def feed_token(user: Any) -> str:
    return signing.dumps({"u": user.pk}, salt=TOKEN_SALT)


def user_for_token(token: str) -> Any:
    from mboa.accounts.models import User

    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("u"), is_active=True).first()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    out, data = [], line.encode()
    while len(data) > 75:
        cut = 75
        while (data[cut] & 0xC0) == 0x80:  # do not split a UTF-8 character
            cut -= 1
        out.append(data[:cut].decode())
        data = b" " + data[cut:]
    out.append(data.decode())
    return "\r\n".join(out)


def _when(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return ":" + value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return ";VALUE=DATE:" + value.strftime("%Y%m%d")


def to_ical(events: list[Event], *, base_url: str = "", name: str = "Mboa") -> str:
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Mboa//Governance//FR", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(name)}"]
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{stamp}", f"DTSTART{_when(e.start)}"]
        if e.end is not None:
            lines.append(f"DTEND{_when(e.end)}")
        lines.append(f"SUMMARY:{_escape(e.title)}")
        if e.location:
            lines.append(f"LOCATION:{_escape(e.location)}")
        if base_url:
            lines.append(f"URL:{base_url}{e.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def upcoming_status_filter() -> list[str]:
    return [MeetingStatus.PLANNED]
