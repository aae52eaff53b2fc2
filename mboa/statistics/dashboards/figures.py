"""The dashboards' figures: each a database aggregation (GROUP BY), never a loop over rows.

A :class:`Figure` is one chart and its table: a title, the column headings, rows of
``(label, value, ...)`` and which filters apply to it. :func:`dashboard` builds them all
for :class:`Filters` (period, region, sex, age group, structure). Figures name no one:
counsellors are shown by their structure, city and number, never by name.

Where each filter applies (the page says it next to each figure):

- arrivals (passengers of arrivals not cancelled): period on the arrival date; region is
  the destination region recorded on the returnee's case; sex and age group (age at arrival)
  from the passenger list; structure does not apply;
- cases: period on opening; region of destination; sex and age (at opening) of the
  person; structure that holds the case;
- referrals: period on sending; region, sex, age of the case; structure that receives;
- agreements: period on the idea's date; structure;
- projects: period on submission; region of the project; sex of the lead promoter;
  structure that follows the dossier;
- commitments: period on the deadline; structure committed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Case, CharField, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils.translation import gettext_lazy as _

from mboa.core.vocabulary import AGE_GROUPS as SHARED_AGE_GROUPS

# (label, lowest, highest): the shared age groups (mboa.core.vocabulary) in the order the figures read them.
AGE_GROUPS: list[tuple[str, int, int]] = [(label, low, high) for low, high, label in SHARED_AGE_GROUPS]
UNKNOWN = "unknown"
FILTER_NAMES = ("period", "region", "sex", "age_group", "structure")
FILTER_LABELS = {"period": _("period"), "region": _("region"), "sex": _("sex"), "age_group": _("age group"),
                 "structure": _("structure")}


@dataclass(frozen=True)
class Filters:
    start: dt.date | None = None
    end: dt.date | None = None
    region: str = ""
    sex: str = ""
    age_group: str = ""
    structure: str = ""

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters (for the download links)."""
        values = {"start": self.start.isoformat() if self.start else "", "end": self.end.isoformat() if self.end else "",
                  "region": self.region, "sex": self.sex, "age_group": self.age_group, "structure": self.structure}
        return {k: v for k, v in values.items() if v}


@dataclass
class Figure:
    key: str
    title: Any
    columns: list[Any]
    rows: list[list[Any]]
    chart: str = "bar"  # bar, line, doughnut
    applies: tuple[str, ...] = FILTER_NAMES
    note: Any = ""
    total: int | None = None
    series: list[int] = field(default_factory=lambda: [1])  # the value columns the chart draws

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def applies_labels(self) -> list[Any]:
        return [FILTER_LABELS[name] for name in self.applies]

    def chart_data(self) -> dict[str, Any]:
        return {"type": self.chart, "labels": [str(r[0]) for r in self.rows],
                "datasets": [{"label": str(self.columns[i]), "data": [r[i] for r in self.rows]} for i in self.series]}


# --- helpers -----------------------------------------------------------------------------

def _age_case(age: Any) -> Case:
    return Case(*[When(Q(**{f"{age}__gte": low, f"{age}__lte": high}), then=Value(label))
                  for label, low, high in AGE_GROUPS], default=Value(UNKNOWN), output_field=CharField())


def _age_q(age: str, group: str) -> Q:
    if group == UNKNOWN:
        return Q(**{f"{age}__isnull": True}) | Q(**{f"{age}__lt": 0}) | Q(**{f"{age}__gt": 200})
    for label, low, high in AGE_GROUPS:
        if label == group:
            return Q(**{f"{age}__gte": low, f"{age}__lte": high})
    return Q()


def _period(qs: QuerySet, path: str, filters: Filters, *, is_date: bool = False) -> QuerySet:
    suffix = "" if is_date else "__date"
    if filters.start:
        qs = qs.filter(**{f"{path}{suffix}__gte": filters.start})
    if filters.end:
        qs = qs.filter(**{f"{path}{suffix}__lte": filters.end})
    return qs


def _count_by(qs: QuerySet, key: str, labels: dict[Any, Any] | None = None, *, order_by_count: bool = True,
              distinct: bool = False) -> list[list[Any]]:
    rows = list(qs.order_by().values_list(key).annotate(n=Count("pk", distinct=distinct)).values_list(key, "n"))
    if labels is not None:
        found = dict(rows)
        result = [[labels[code], found.pop(code, 0)] for code in labels]
        result += [[str(code) if code not in (None, "") else _("not recorded"), n] for code, n in found.items()]
        return result
    rows = [[code if code not in (None, "") else _("not recorded"), n] for code, n in rows]
    return sorted(rows, key=lambda r: (-r[1], str(r[0]))) if order_by_count else rows


def _days(value: dt.timedelta | None) -> float | None:
    return round(value.total_seconds() / 86400, 1) if value is not None else None


def _duration(end: str, start: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


# --- arrivals ------------------------------------------------------------------------------

def passengers(filters: Filters) -> QuerySet:
    from mboa.reception.models import ArrivalStatus, Passenger

    qs = Passenger.objects.exclude(arrival__status=ArrivalStatus.CANCELLED).annotate(
        age=ExtractYear("arrival__expected_at") - F("birth_year"))
    qs = _period(qs, "arrival__expected_at", filters)
    if filters.region:
        qs = qs.filter(case__destination_region_id=filters.region)
    if filters.sex:
        qs = qs.filter(sex=filters.sex)
    if filters.age_group:
        qs = qs.filter(_age_q("age", filters.age_group))
    return qs


def arrival_figures(filters: Filters) -> list[Figure]:
    from mboa.core.vocabulary import VULNERABILITIES
    from mboa.reception.models import Sex

    applies = ("period", "region", "sex", "age_group")
    qs = passengers(filters)
    months = [[month.strftime("%Y-%m") if month else _("not recorded"), n] for month, n in
              qs.order_by().annotate(month=TruncMonth("arrival__expected_at")).values_list("month")
              .annotate(n=Count("pk")).values_list("month", "n").order_by("month")]
    total = sum(n for _m, n in months)
    age_labels = {label: label for label, _l, _h in AGE_GROUPS} | {UNKNOWN: _("unknown")}
    vulnerability = _count_by(qs.filter(case__isnull=False), "case__vulnerabilities__category",
                              {code: info.label for code, info in VULNERABILITIES.items()}, distinct=True)
    return [
        Figure("arrivals_month", _("Returnees by month of arrival"), [_("Month"), _("Returnees")], months,
               chart="line", applies=applies, total=total),
        Figure("arrivals_country", _("Returnees by country of departure"), [_("Country"), _("Returnees")],
               _count_by(qs, "arrival__departure_country"), applies=applies, total=total),
        Figure("arrivals_sex", _("Returnees by sex"), [_("Sex"), _("Returnees")],
               _count_by(qs, "sex", dict(Sex.choices)), chart="doughnut", applies=applies, total=total),
        Figure("arrivals_age", _("Returnees by age group at arrival"), [_("Age group"), _("Returnees")],
               _count_by(qs.annotate(age_group=_age_case("age")), "age_group", age_labels), applies=applies,
               total=total),
        Figure("arrivals_vulnerability", _("Returnees by vulnerability"), [_("Vulnerability"), _("Returnees")],
               [r for r in vulnerability if r[0] != _("not recorded")], applies=applies,
               note=_("As assessed on the returnee's case; a returnee may have several.")),
    ]


# --- cases ---------------------------------------------------------------------------------

def cases(filters: Filters) -> QuerySet:
    from mboa.cases.models import Case as CaseModel

    qs = _period(CaseModel.objects.all(), "opened_at", filters)
    if filters.region:
        qs = qs.filter(destination_region_id=filters.region)
    if filters.sex:
        qs = qs.filter(person__sex=filters.sex)
    if filters.age_group:  # only then: the age joins the person, costly over every case
        qs = qs.annotate(age=ExtractYear("opened_at") - F("person__birth_year"))
        qs = qs.filter(_age_q("age", filters.age_group))
    if filters.structure:
        qs = qs.filter(structure__code=filters.structure)
    return qs


def case_figures(filters: Filters) -> list[Figure]:
    from mboa.cases.models import CaseStatus

    qs = cases(filters)
    by_status = _count_by(qs, "status", dict(CaseStatus.choices))
    rows = (qs.filter(insertion_counsellor__isnull=False).order_by()
            .values_list("insertion_counsellor_id", "insertion_counsellor__structure__code", "insertion_counsellor__city")
            .annotate(n=Count("pk"), open=Count("pk", filter=~Q(status=CaseStatus.CLOSED)))
            .order_by("-n", "insertion_counsellor__city"))
    by_counsellor = [[f"{code} · {city} · n°{pk}", n, n_open] for pk, code, city, n, n_open in rows]
    return [
        Figure("cases_status", _("Cases by status"), [_("Status"), _("Cases")], by_status,
               total=sum(r[1] for r in by_status)),
        Figure("cases_counsellor", _("Cases per insertion counsellor"), [_("Counsellor"), _("Cases"), _("Open")],
               by_counsellor, series=[1, 2],
               note=_("Counsellors are shown by structure, city and number, never by name.")),
    ]


# --- referrals -----------------------------------------------------------------------------

def referrals(filters: Filters) -> QuerySet:
    from mboa.referrals.models import Referral

    qs = _period(Referral.objects.all(), "sent_at", filters)
    if filters.region:
        qs = qs.filter(case__destination_region_id=filters.region)
    if filters.sex:
        qs = qs.filter(case__person__sex=filters.sex)
    if filters.age_group:  # only then: the age joins the case and the person, costly over every referral
        qs = qs.annotate(age=ExtractYear("sent_at") - F("case__person__birth_year"))
        qs = qs.filter(_age_q("age", filters.age_group))
    if filters.structure:
        qs = qs.filter(structure__code=filters.structure)
    return qs


def referral_rows(qs: QuerySet, key: str = "structure__code") -> list[list[Any]]:
    """Per ``key``: received, accepted, completed, and the mean days to accept and to complete."""
    rows = (qs.order_by().values_list(key)
            .annotate(n=Count("pk"), accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
                      completed=Count("pk", filter=Q(delivered_at__isnull=False)),
                      to_accept=Avg(_duration("accepted_at", "sent_at")),
                      to_complete=Avg(_duration("delivered_at", "sent_at")))
            .order_by("-n", key))
    return [[code, n, acc, done, _days(ta), _days(tc)] for code, n, acc, done, ta, tc in rows]


def referral_figures(filters: Filters) -> list[Figure]:
    from mboa.referrals.models import ReferralStatus

    qs = referrals(filters)
    return [
        Figure("referrals_structure", _("Referrals and their delays by receiving structure"),
               [_("Structure"), _("Received"), _("Accepted"), _("Service delivered"), _("Days to accept (mean)"),
                _("Days to deliver (mean)")], referral_rows(qs), series=[1, 2, 3]),
        Figure("referrals_status", _("Referrals by status"), [_("Status"), _("Referrals")],
               _count_by(qs, "status", dict(ReferralStatus.choices))),
    ]


# --- agreements ----------------------------------------------------------------------------

def agreement_figures(filters: Filters) -> list[Figure]:
    from mboa.referrals.models import Agreement, AgreementStatus

    qs = _period(Agreement.objects.all(), "idea_at", filters)
    if filters.structure:
        qs = qs.filter(structure__code=filters.structure)
    return [Figure("agreements_status", _("Agreements by status"), [_("Status"), _("Agreements")],
                   _count_by(qs, "status", dict(AgreementStatus.choices)), applies=("period", "structure"))]


# --- projects ------------------------------------------------------------------------------

def dossiers(filters: Filters) -> QuerySet:
    from mboa.projects.models import Dossier

    qs = _period(Dossier.objects.all(), "submitted_at", filters)
    if filters.region:
        qs = qs.filter(region_id=filters.region)
    if filters.sex:
        qs = qs.filter(lead_sex=filters.sex)
    if filters.structure:
        qs = qs.filter(structure__code=filters.structure)
    return qs


def project_figures(filters: Filters) -> list[Figure]:
    from django.utils.translation import get_language

    from mboa.projects.models import DossierStatus, OperatingStatus

    name = "name_en" if (get_language() or "fr").startswith("en") else "name_fr"
    applies = ("period", "region", "sex", "structure")
    qs = dossiers(filters)
    return [
        Figure("projects_sector", _("Projects by sector"), [_("Sector"), _("Projects")],
               _count_by(qs, f"sector__{name}"), applies=applies),
        Figure("projects_filiere", _("Projects by filière"), [_("Filière"), _("Projects")],
               _count_by(qs, f"filiere__{name}"), applies=applies),
        Figure("projects_region", _("Projects by region"), [_("Region"), _("Projects")],
               _count_by(qs, "region__name"), applies=applies),
        Figure("projects_status", _("Projects by status"), [_("Status"), _("Projects")],
               _count_by(qs, "status", dict(DossierStatus.choices)), applies=applies),
        Figure("projects_operating", _("Installed projects by operating status"), [_("Operating status"),
               _("Projects")], _count_by(qs.filter(status=DossierStatus.INSTALLED), "operating_status",
                                         dict(OperatingStatus.choices)), applies=applies, chart="doughnut"),
    ]


# --- commitments ---------------------------------------------------------------------------

def commitments(filters: Filters) -> QuerySet:
    from mboa.governance.models import Commitment, CommitmentStatus

    qs = _period(Commitment.objects.exclude(status=CommitmentStatus.DROPPED), "deadline", filters, is_date=True)
    if filters.structure:
        qs = qs.filter(structure__code=filters.structure)
    return qs


def commitment_rows(qs: QuerySet, key: str = "structure__code", *, today: dt.date) -> list[list[Any]]:
    """Per ``key``: commitments due by today, kept on time, kept late, still open past the deadline."""
    from mboa.governance.models import CommitmentStatus

    done = Q(status=CommitmentStatus.DONE)
    rows = (qs.filter(deadline__lte=today).order_by().values_list(key)
            .annotate(n=Count("pk"), on_time=Count("pk", filter=done & Q(done_on__lte=F("deadline"))),
                      late=Count("pk", filter=done & (Q(done_on__gt=F("deadline")) | Q(done_on__isnull=True))),
                      open=Count("pk", filter=~done))
            .order_by("-n", key))
    return [list(r) for r in rows]


def commitment_figures(filters: Filters, *, today: dt.date) -> list[Figure]:
    return [Figure("commitments_kept", _("Commitments due, kept on time and late, by structure"),
                   [_("Structure"), _("Due"), _("Kept on time"), _("Kept late"), _("Not kept")],
                   commitment_rows(commitments(filters), today=today), series=[2, 3, 4],
                   applies=("period", "structure"))]


def dashboard(filters: Filters, *, today: dt.date, now: dt.datetime | None = None) -> list[tuple[Any, list[Figure]]]:
    """Every figure, in sections. Survival, sustainability scores, satisfaction and community
    figures come from the follow-up, survey and feedback areas (see ``outcomes``)."""
    from django.utils import timezone

    from .outcomes import outcome_sections

    return [
        (_("Arrivals"), arrival_figures(filters)),
        (_("Cases"), case_figures(filters)),
        (_("Referrals"), referral_figures(filters)),
        (_("Agreements"), agreement_figures(filters)),
        (_("Projects"), project_figures(filters)),
        (_("Commitments"), commitment_figures(filters, today=today)),
        *outcome_sections(filters, now=now or timezone.now(), today=today),
    ]


def region_counts(filters: Filters) -> dict[str, dict[str, int]]:
    """Returns, cases and projects per region code (the map), three GROUP BY queries."""
    result: dict[str, dict[str, int]] = {}
    for measure, qs, key in (("returns", passengers(filters), "case__destination_region_id"),
                             ("cases", cases(filters), "destination_region_id"),
                             ("projects", dossiers(filters), "region_id")):
        for code, n in qs.order_by().values_list(key).annotate(n=Count("pk")).values_list(key, "n"):
            if code:
                result.setdefault(code, {}).setdefault(measure, 0)
                result[code][measure] += n
    return result
