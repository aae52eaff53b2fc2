"""Government-ownership indicators: how much of the mechanism's work government structures
carry, each as a share in [0, 1] with its numerator and denominator, overall, per quarter and
per structure — all by database aggregation (COUNT ... FILTER / GROUP BY).

"Government" is the kind of the structure (``actors.GOVERNMENT_KINDS``: ministries, public
agencies, programmes, local authorities). The ownership index is the weighted mean of the
shares, with the weights of the latest :class:`OwnershipIndexVersion`; a component without
data in the period is left out of the mean and said so. It is never shown without its parts.

What Mboa does not record yet, and so cannot show: who *hosted* a meeting (a meeting has a
place, not a host structure) and the government's contributions to projects (a dossier
version values the promoters' own contributions only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncQuarter
from django.utils.translation import gettext_lazy as _

from mboa.actors.models import GOVERNMENT_KINDS

from .figures import Figure, Filters, _days, _period
from .models import OwnershipComponent, OwnershipIndexVersion

# The mechanism plans 19 counsellors placed with IOM by the government: 15 insertion
# counsellors (MINJEC/PARIJEDI) and 4 psychosocial counsellors (MINAS).
COUNSELLOR_TARGET = {"insertion": 15, "psychosocial": 4}
GOV = [str(kind) for kind in GOVERNMENT_KINDS]


@dataclass
class Share:
    code: str
    label: Any
    numerator: int
    denominator: int
    by_quarter: dict[str, tuple[int, int]] = field(default_factory=dict)
    by_structure: dict[str, tuple[int, int]] = field(default_factory=dict)
    note: Any = ""

    @property
    def value(self) -> float | None:
        return round(self.numerator / self.denominator, 3) if self.denominator else None

    @property
    def percent(self) -> int | None:
        return None if self.value is None else round(self.value * 100)


@dataclass(frozen=True)
class Spec:
    code: str
    qs: QuerySet
    numerator: Q
    denominator: Q
    date: str | None
    structure: str | None


def _quarter(value: Any) -> str:
    return f"{value.year}-T{(value.month - 1) // 3 + 1}"


def _share(spec: Spec, label: Any, *, cap: int | None = None) -> Share:
    counts = {"num": Count("pk", filter=spec.numerator), "den": Count("pk", filter=spec.denominator)}
    total = spec.qs.order_by().aggregate(**counts)
    share = Share(spec.code, label, total["num"], total["den"])
    if spec.date:
        for quarter, num, den in (spec.qs.order_by().annotate(q=TruncQuarter(spec.date)).values_list("q")
                                  .annotate(**counts).values_list("q", "num", "den")):
            if quarter is not None:
                key = _quarter(quarter)
                n, d = share.by_quarter.get(key, (0, 0))
                share.by_quarter[key] = (n + num, d + den)
    if spec.structure:
        for code, num, den in (spec.qs.order_by().values_list(spec.structure).annotate(**counts)
                               .values_list(spec.structure, "num", "den")):
            share.by_structure[code] = (num, den)
    return share


# --- the figures the page shows --------------------------------------------------------

def gta_tasks(filters: Filters, *, now: dt.datetime) -> dict[str, Any]:
    from mboa.reception.models import GtaTask, TaskStatus

    qs = _period(GtaTask.objects.filter(due_at__lte=now), "due_at", filters)
    if filters.structure:
        qs = qs.filter(structure__code=filters.structure)
    gov = Q(structure__kind__in=GOV)
    done = Q(status=TaskStatus.DONE)
    carried = _share(Spec("gta_carried", qs, gov, Q(), "due_at", None), _("GTA tasks given to government structures"))
    gov_qs = qs.filter(gov)
    return {
        "carried": carried,
        OwnershipComponent.GTA_TASKS_DONE: _share(
            Spec(OwnershipComponent.GTA_TASKS_DONE, gov_qs, done, Q(), "due_at", "structure__code"),
            OwnershipComponent.GTA_TASKS_DONE.label),
        OwnershipComponent.GTA_TASKS_ON_TIME: _share(
            Spec(OwnershipComponent.GTA_TASKS_ON_TIME, gov_qs, done & Q(done_at__lte=F("due_at")), done, "due_at",
                 "structure__code"), OwnershipComponent.GTA_TASKS_ON_TIME.label),
    }


def ministry_referrals(filters: Filters) -> dict[str, Any]:
    from .figures import referral_rows, referrals

    qs = referrals(Filters(start=filters.start, end=filters.end, region=filters.region,
                           structure=filters.structure)).filter(structure__kind__in=GOV)
    accepted = Q(accepted_at__isnull=False)
    return {
        "rows": referral_rows(qs),
        OwnershipComponent.REFERRALS_ACCEPTED: _share(
            Spec(OwnershipComponent.REFERRALS_ACCEPTED, qs, accepted, Q(), "sent_at", "structure__code"),
            OwnershipComponent.REFERRALS_ACCEPTED.label),
        OwnershipComponent.REFERRALS_COMPLETED: _share(
            Spec(OwnershipComponent.REFERRALS_COMPLETED, qs, Q(delivered_at__isnull=False), accepted, "sent_at",
                 "structure__code"), OwnershipComponent.REFERRALS_COMPLETED.label),
    }


def counsellors(filters: Filters) -> dict[str, Any]:
    from mboa.cases.models import Counsellor

    qs = Counsellor.objects.filter(is_active=True)
    if filters.structure:
        qs = qs.filter(structure__code=filters.structure)
    rows = [list(r) for r in qs.order_by().values_list("kind", "structure__code")
            .annotate(n=Count("pk"), gov=Count("pk", filter=Q(structure__kind__in=GOV))).order_by("kind", "structure__code")]
    target = sum(COUNSELLOR_TARGET.values())
    placed = sum(r[3] for r in rows)
    share = Share(OwnershipComponent.COUNSELLORS_PLACED, OwnershipComponent.COUNSELLORS_PLACED.label,
                  min(placed, target), target,
                  note=_("Active counsellors placed by government structures, against the mechanism's %(target)s "
                         "(%(insertion)s insertion + %(psychosocial)s psychosocial); today, not per quarter.") % {
                      "target": target, **COUNSELLOR_TARGET})
    share.by_structure = {code: (gov, n) for _k, code, n, gov in rows}
    return {"rows": rows, "placed": placed, "target": target, OwnershipComponent.COUNSELLORS_PLACED: share}


def meetings(filters: Filters) -> dict[str, Any]:
    from mboa.governance.models import Attendance, Invitation, Meeting, MeetingStatus, MemberRole

    # A meeting whose minutes were approved was held too (its status only moved on).
    held = _period(Meeting.objects.filter(status__in=[MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED]),
                   "starts_at", filters)
    co_chaired = Q(body__memberships__role=MemberRole.CO_CHAIR, body__memberships__structure__kind__in=GOV)
    chaired_ids = held.filter(co_chaired).values("pk")
    chaired = _share(Spec(OwnershipComponent.MEETINGS_CO_CHAIRED, held, Q(pk__in=chaired_ids), Q(), "starts_at",
                          None), OwnershipComponent.MEETINGS_CO_CHAIRED.label)
    invitations = Invitation.objects.filter(meeting__in=held, structure__kind__in=GOV)
    if filters.structure:
        invitations = invitations.filter(structure__code=filters.structure)
    attendance = _share(Spec(OwnershipComponent.MEETING_ATTENDANCE, invitations, Q(attendance=Attendance.PRESENT), Q(),
                             "meeting__starts_at", "structure__code"), OwnershipComponent.MEETING_ATTENDANCE.label)
    return {OwnershipComponent.MEETINGS_CO_CHAIRED: chaired, OwnershipComponent.MEETING_ATTENDANCE: attendance,
            "hosted_missing": _("Mboa does not record which structure hosted a meeting (only its place): "
                                "add a host to meetings to show it.")}


def government_commitments(filters: Filters, *, today: dt.date) -> dict[str, Any]:
    from mboa.governance.models import CommitmentStatus

    from .figures import commitments

    qs = commitments(filters).filter(structure__kind__in=GOV, deadline__lte=today)
    on_time = Q(status=CommitmentStatus.DONE, done_on__lte=F("deadline"))
    return {OwnershipComponent.COMMITMENTS_ON_TIME: _share(
        Spec(OwnershipComponent.COMMITMENTS_ON_TIME, qs, on_time, Q(), "deadline", "structure__code"),
        OwnershipComponent.COMMITMENTS_ON_TIME.label)}


def agreements(filters: Filters, *, now: dt.datetime) -> dict[str, Any]:
    from mboa.referrals.models import Agreement, AgreementStatusChange

    qs = _period(Agreement.objects.filter(structure__kind__in=GOV), "idea_at", filters)
    if filters.structure:
        qs = qs.filter(structure__code=filters.structure)
    signed = _share(Spec(OwnershipComponent.AGREEMENTS_SIGNED, qs, Q(signed_at__isnull=False), Q(), "idea_at",
                         "structure__code"), OwnershipComponent.AGREEMENTS_SIGNED.label)
    held = ExpressionWrapper(Coalesce(F("left_at"), Value(now)) - F("entered_at"), output_field=DurationField())
    ball: dict[str, dict[str, float | None]] = {}
    for code, party, total in (AgreementStatusChange.objects.filter(agreement__in=qs).exclude(ball_with="")
                               .order_by().values_list("agreement__structure__code", "ball_with")
                               .annotate(total=Sum(held)).values_list("agreement__structure__code", "ball_with", "total")):
        ball.setdefault(code, {})[party] = _days(total)
    rows = [[code, sides.get("iom"), sides.get("structure")] for code, sides in sorted(ball.items())]
    return {OwnershipComponent.AGREEMENTS_SIGNED: signed, "ball": rows}


def gtr_recommendations(filters: Filters) -> dict[str, Any]:
    from mboa.projects.models import AgendaItem, Recommendation

    items = _period(AgendaItem.objects.all(), "session__date", filters, is_date=True)
    if filters.region:
        items = items.filter(dossier__region_id=filters.region)
    with_ministry = Recommendation.objects.filter(structure__kind__in=GOV)
    if filters.structure:
        with_ministry = with_ministry.filter(structure__code=filters.structure)
    share = _share(Spec(OwnershipComponent.GTR_RECOMMENDATIONS, items,
                        Q(pk__in=with_ministry.values("item_id")), Q(), "session__date", None),
                   OwnershipComponent.GTR_RECOMMENDATIONS.label)
    rows = [list(r) for r in with_ministry.filter(item__in=items).order_by().values_list("structure__code")
            .annotate(n=Count("pk")).order_by("-n", "structure__code")]
    return {OwnershipComponent.GTR_RECOMMENDATIONS: share, "rows": rows}


@dataclass
class IndexPart:
    share: Share
    weight: Decimal
    counted: bool

    @property
    def contribution(self) -> float | None:
        return None if self.share.value is None else round(float(self.weight) * self.share.value, 3)


@dataclass
class Index:
    version: OwnershipIndexVersion | None
    parts: list[IndexPart]
    value: float | None
    by_quarter: list[tuple[str, float | None]]


def _weighted(pairs: list[tuple[Decimal, float | None]]) -> float | None:
    counted = [(float(w), v) for w, v in pairs if v is not None and w > 0]
    total = sum(w for w, _v in counted)
    return round(sum(w * v for w, v in counted) / total, 3) if total else None


def ownership_index(shares: dict[str, Share], quarters: list[str]) -> Index:
    version = OwnershipIndexVersion.objects.prefetch_related("weights").order_by("-version").first()
    if version is None:
        return Index(None, [], None, [])
    parts = [IndexPart(shares[w.component], w.weight, shares[w.component].value is not None)
             for w in version.weights.all() if w.component in shares]
    by_quarter = []
    for quarter in quarters:
        pairs = []
        for part in parts:
            n, d = part.share.by_quarter.get(quarter, (0, 0))
            pairs.append((part.weight, n / d if d else None))
        by_quarter.append((quarter, _weighted(pairs)))
    return Index(version, parts, _weighted([(p.weight, p.share.value) for p in parts]), by_quarter)


def ownership_page(filters: Filters, *, now: dt.datetime) -> dict[str, Any]:
    """Every indicator of the ownership page, the index with its parts, the quarterly trend."""
    today = now.date()
    gta = gta_tasks(filters, now=now)
    refs = ministry_referrals(filters)
    staff = counsellors(filters)
    meets = meetings(filters)
    commits = government_commitments(filters, today=today)
    agrees = agreements(filters, now=now)
    gtr = gtr_recommendations(filters)
    shares: dict[str, Share] = {}
    for block in (gta, refs, staff, meets, commits, agrees, gtr):
        shares.update({k: v for k, v in block.items() if isinstance(v, Share) and k in OwnershipComponent.values})
    quarters = sorted({q for s in shares.values() for q in s.by_quarter})[-8:]
    index = ownership_index(shares, quarters)
    trend = [[q, *[(lambda nd: round(nd[0] / nd[1] * 100) if nd[1] else None)(s.by_quarter.get(q, (0, 0)))
                   for s in shares.values()]] for q in quarters]
    structures = sorted({code for s in shares.values() for code in s.by_structure if code})
    per_structure = [[code, *[(lambda nd: f"{nd[0]}/{nd[1]}" if nd[1] else "")(s.by_structure.get(code, (0, 0)))
                              for s in shares.values()]] for code in structures]
    return {"gta": gta, "referrals": refs, "counsellors": staff, "meetings": meets, "commitments": commits,
            "agreements": agrees, "gtr": gtr, "shares": shares, "index": index, "quarters": quarters,
            "trend": trend, "per_structure": per_structure,
            "contributions_missing": _("Mboa does not record government contributions to projects: a dossier "
                                       "values only the promoters' own contributions. Record the contributing "
                                       "structure and amount on a dossier to show it.")}


def ownership_figures(data: dict[str, Any]) -> list[Figure]:
    """The page's tables (and charts) as figures: the same rows go to the XLSX download."""
    shares: dict[str, Share] = data["shares"]
    index: Index = data["index"]

    def pct(share: Share) -> int | str:
        return "" if share.percent is None else share.percent

    parts = [[str(p.share.label), pct(p.share), p.share.numerator, p.share.denominator, float(p.weight),
              "" if p.contribution is None else p.contribution] for p in index.parts]
    figures = [
        Figure("ownership_parts", _("The index and its parts"),
               [_("Component"), _("Share (%)"), _("Count"), _("Out of"), _("Weight"), _("Weight × share")], parts,
               note=_("Index version %(version)s: components without data in the period are left out of the mean.")
               % {"version": index.version.version if index.version else "—"}),
        Figure("ownership_components", _("Every indicator"), [_("Indicator"), _("Share (%)"), _("Count"), _("Out of")],
               [[str(s.label), pct(s), s.numerator, s.denominator] for s in shares.values()]),
        Figure("ownership_trend", _("Trend per quarter (%)"), [_("Quarter"), _("Ownership index (%)"),
               *[str(s.label) for s in shares.values()]],
               [[q, None if v is None else round(v * 100), *row[1:]] for (q, v), row in zip(index.by_quarter,
                                                                                          data["trend"], strict=True)]
               if index.by_quarter else [[q, None, *row[1:]] for q, row in zip(data["quarters"], data["trend"], strict=True)],
               chart="line", series=[1]),
        Figure("ownership_structures", _("Per structure (done / out of)"),
               [_("Structure"), *[str(s.label) for s in shares.values()]], data["per_structure"], chart=""),
        Figure("ownership_referrals", _("Referrals received by government structures and their delays"),
               [_("Structure"), _("Received"), _("Accepted"), _("Service delivered"), _("Days to accept (mean)"),
                _("Days to deliver (mean)")], data["referrals"]["rows"], series=[1, 2, 3]),
        Figure("ownership_counsellors", _("Active counsellors by structure"),
               [_("Kind"), _("Structure"), _("Counsellors"), _("Placed by government")],
               data["counsellors"]["rows"], chart=""),
        Figure("ownership_ball", _("Agreements: days each side held the ball"),
               [_("Structure"), _("IOM"), _("The structure")], data["agreements"]["ball"], series=[1, 2]),
        Figure("ownership_recommendations", _("GTR recommendations made by government structures"),
               [_("Structure"), _("Recommendations")], data["gtr"]["rows"]),
    ]
    return figures
