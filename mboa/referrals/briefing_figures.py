"""Referral figures and agreements waiting on a structure, for the governance briefing pack."""

from statistics import median

from django.utils.translation import gettext_lazy as _

from mboa.governance.briefing import KeyFigure, WaitingSection, register_key_figure, register_waiting_section

from .models import Agreement, AgreementStatus, Party, Referral

FINISHED = {AgreementStatus.IN_FORCE, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED}


def _median_days_to_accept(since, until):
    rows = Referral.objects.filter(sent_at__gte=since, sent_at__lt=until, accepted_at__isnull=False).values_list(
        "sent_at", "accepted_at")
    days = [(accepted - sent).total_seconds() / 86400 for sent, accepted in rows]
    return round(median(days), 1) if days else "—"


def _agreements_waiting(meeting):
    waiting = (Agreement.objects.filter(ball_with=Party.STRUCTURE).exclude(status__in=FINISHED)
               .select_related("structure").order_by("ball_since"))
    return [{"what": f"{a.reference} · {a.subject}", "holder": a.structure.code,
             "since": a.ball_since.date() if a.ball_since else None} for a in waiting]


register_key_figure(KeyFigure(
    "referrals.sent", _("Referrals sent"),
    lambda since, until: Referral.objects.filter(sent_at__gte=since, sent_at__lt=until).count(), order=300,
))
register_key_figure(KeyFigure(
    "referrals.delivered", _("Referrals delivered"),
    lambda since, until: Referral.objects.filter(delivered_at__gte=since, delivered_at__lt=until).count(), order=310,
))
register_key_figure(KeyFigure(
    "referrals.median_accept_days", _("Median days from sending to acceptance"), _median_days_to_accept, order=320,
))
register_waiting_section(WaitingSection(
    "referrals.agreements", _("Agreements waiting on the structure"), _agreements_waiting,
))
