"""Reads of the release area, all by database aggregation (counts grouped in SQL, never a
Python loop over people), and the user-scoped reads of its pages and API.

Units and dates (the README of a release says the same):

- a *returnee* is one person on the list of an arrival that took place (in progress or
  completed), dated by the arrival's date; the same person returning twice counts twice;
- age is the age reached in the year of arrival (year of arrival - year of birth), grouped;
- the *region of origin* is the region of the returnee's place of birth in the registry
  (``unknown`` when it is abroad, not recorded or not yet matched to the registry);
- cases are dated by their opening, referrals by their sending, project dossiers by their
  submission, agreements by their signature, installations by the last receipt of goods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models import Case as When_
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.http import Http404

from mboa.actors.models import Region
from mboa.cases.models import Case, CaseStatus, ClosureReason, Sector
from mboa.core.permissions import require
from mboa.core.vocabulary import AGE_GROUPS, VULNERABILITIES
from mboa.projects.models import Dossier, DossierStatus
from mboa.reception.models import Arrival, ArrivalStatus, Passenger, Sex
from mboa.referrals.models import Agreement, Referral, ReferralStatus

from .indicators import Filters
from .models import StatisticalRelease
from .suppression import Key, Table

UNKNOWN = "unknown"
AGE_LABELS = [*(label for _low, _high, label in AGE_GROUPS), UNKNOWN]
HAPPENED = (ArrivalStatus.IN_PROGRESS, ArrivalStatus.COMPLETED)


# --- Returnees --------------------------------------------------------------------------------


def _age_group() -> When_:
    whens = [When(age__gte=low, age__lte=high, then=Value(label)) for low, high, label in AGE_GROUPS]
    return When_(*whens, default=Value(UNKNOWN))


def returnees(filters: Filters) -> QuerySet:
    """The returnees of the period (see the module), annotated with the generalised
    quasi-identifiers: ``year``, ``month``, ``age_group``, ``origin`` (a region code)."""
    qs = (Passenger.objects
          .filter(arrival__status__in=HAPPENED, arrival__expected_at__date__gte=filters.date_from,
                  arrival__expected_at__date__lte=filters.date_to)
          .annotate(year=ExtractYear("arrival__expected_at"), month=ExtractMonth("arrival__expected_at"))
          .annotate(age=F("year") - F("birth_year"))
          .annotate(age_group=_age_group(),
                    origin=Coalesce("person__place_of_birth__region_id", Value(UNKNOWN))))
    if filters.region:
        qs = qs.filter(person__place_of_birth__region_id=filters.region)
    return qs


def _vulnerability_q(code: str) -> Q:
    # The JSON list holds the codes as strings: a quoted code matches that element only,
    # on SQLite and PostgreSQL alike (JSON "contains" is not available on SQLite).
    return Q(vulnerabilities__icontains=f'"{code}"')


def any_vulnerability_q() -> Q:
    q = Q()
    for code in VULNERABILITIES:
        q |= _vulnerability_q(code)
    return q


def months_between(date_from: dt.date, date_to: dt.date) -> list[str]:
    months, year, month = [], date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _grouped(qs: QuerySet, *fields: str) -> dict[tuple, int]:
    return {tuple(row[:-1]): row[-1] for row in qs.values(*fields).annotate(n=Count("id")).values_list(*fields, "n")}


def _month_key(row: tuple) -> tuple:
    year, month, *rest = row
    return (f"{year:04d}-{month:02d}", *(str(v) if v is not None else UNKNOWN for v in rest))


def _sum(counts: dict[tuple, int], key_of: Any) -> dict[Key, int]:
    result: dict[Key, int] = {}
    for row, n in counts.items():
        key = key_of(row)
        result[key] = result.get(key, 0) + n
    return result


def _levels(known: list[str], counts: dict[Key, int], position: int) -> list[str]:
    seen = {key[position] for key in counts}
    return [*known, *sorted(seen - set(known))]


def release_tables(*, date_from: dt.date, date_to: dt.date) -> list[Table]:
    """The aggregated tables of a release (without suppression: see ``suppression.protect``).
    A system read: the command and the release task call it, pages reach it only through
    the release service, whose rule was checked."""
    filters = Filters(date_from, date_to)
    months = months_between(date_from, date_to)
    sexes = list(Sex.values)
    regions = [*Region.objects.order_by("code").values_list("code", flat=True), UNKNOWN]
    people = returnees(filters)
    tables: list[Table] = []

    by_sex_age = _sum(_grouped(people, "year", "month", "sex", "age_group"), _month_key)
    tables.append(Table("arrivals_month_sex_age", ["month", "sex", "age_group"],
                        {"month": months, "sex": sexes, "age_group": AGE_LABELS}, by_sex_age,
                        title="Returnees by month of arrival, sex and age group"))
    by_origin = _sum(_grouped(people, "year", "month", "origin"), _month_key)
    tables.append(Table("arrivals_month_region", ["month", "region_of_origin"],
                        {"month": months, "region_of_origin": _levels(regions, by_origin, 1)}, by_origin,
                        title="Returnees by month of arrival and region of origin"))
    for code in VULNERABILITIES:
        flagged = people.annotate(present=When_(When(_vulnerability_q(code), then=Value("yes")), default=Value("no")))
        counts = _sum(_grouped(flagged, "year", "month", "present"), _month_key)
        tables.append(Table(f"arrivals_month_vulnerability_{code}", ["month", "present"],
                            {"month": months, "present": ["yes", "no"]}, counts,
                            title=f"Returnees by month of arrival, with or without the vulnerability “{code}”"))

    cases = Case.objects.filter(opened_at__date__gte=date_from, opened_at__date__lte=date_to)
    by_status = {(str(s), str(r or UNKNOWN)): n for (s, r), n in _grouped(cases, "status", "destination_region").items()}
    tables.append(Table("cases_status_region", ["status", "destination_region"],
                        {"status": list(CaseStatus.values), "destination_region": _levels(regions, by_status, 1)},
                        by_status, title="Cases opened in the period by status today and region of settlement"))

    referrals = Referral.objects.filter(sent_at__date__gte=date_from, sent_at__date__lte=date_to)
    by_structure = {(str(s), str(st)): n for (s, st), n in _grouped(referrals, "structure__code", "status").items()}
    tables.append(Table("referrals_structure_status", ["structure", "status"],
                        {"structure": _levels([], by_structure, 0), "status": list(ReferralStatus.values)},
                        by_structure, title="Referrals sent in the period by receiving structure and status today"))

    dossiers = Dossier.objects.filter(submitted_at__date__gte=date_from, submitted_at__date__lte=date_to)
    by_sector = {tuple(str(v or UNKNOWN) for v in row): n
                 for row, n in _grouped(dossiers, "sector_id", "region_id", "status").items()}
    sectors = list(Sector.objects.order_by("code").values_list("code", flat=True))
    statuses = [s for s in DossierStatus.values if s != DossierStatus.DRAFT]
    tables.append(Table("projects_sector_region_status", ["sector", "region", "status"],
                        {"sector": _levels(sectors, by_sector, 0), "region": _levels(regions, by_sector, 1),
                         "status": _levels(statuses, by_sector, 2)},
                        by_sector, title="Project dossiers submitted in the period by sector, region and status today"))
    return tables


RECORD_COLUMNS = ["month", "sex", "age_group", "region_of_origin", "vulnerable", "case_status"]
QUASI_IDENTIFIERS = ["month", "sex", "age_group", "region_of_origin"]


def record_extract(*, date_from: dt.date, date_to: dt.date, k: int) -> tuple[Iterator[list[str]], int]:
    """The record-level extract: one row per returnee, no identifier, quasi-identifiers
    generalised (month, sex, age group, region), and k-anonymous on them: a combination
    shared by fewer than ``k`` rows first loses its region (``*``), then its age group;
    rows still rarer are left out. Returns the rows (streamed, sorted by the generalised
    values, not by arrival) and how many were left out."""
    people = returnees(Filters(date_from, date_to)).annotate(
        vulnerable=When_(When(any_vulnerability_q(), then=Value("yes")), default=Value("no")),
        case_status=Coalesce("case__status", Value("none")))
    raw = _sum(_grouped(people, "year", "month", "sex", "age_group", "origin"), _month_key)
    recode: dict[Key, Key | None] = {}
    level1: dict[Key, int] = {}
    for key, n in raw.items():
        new = key if n >= k else (*key[:3], "*")
        recode[key] = new
        level1[new] = level1.get(new, 0) + n
    level2: dict[Key, int] = {}
    for key in raw:
        new = recode[key]
        if level1[new] < k:
            new = (new[0], new[1], "*", "*")
        recode[key] = new
        level2[new] = level2.get(new, 0) + raw[key]
    left_out = 0
    for key in raw:
        if level2[recode[key]] < k:
            left_out += raw[key]
            recode[key] = None

    def rows() -> Iterator[list[str]]:
        fields = ("year", "month", "sex", "age_group", "origin", "vulnerable", "case_status")
        qs = people.order_by("year", "month", "sex", "age_group", "origin", "vulnerable", "case_status")
        for row in qs.values_list(*fields).iterator(chunk_size=5000):
            key = _month_key(row[:5])
            new = recode.get(key)
            if new is not None:
                yield [*new, row[5], row[6]]

    return rows(), left_out


# --- Programme indicators (registered in programme.py) -------------------------------------


def _between(field: str, filters: Filters) -> Q:
    return Q(**{f"{field}__date__gte": filters.date_from, f"{field}__date__lte": filters.date_to})


def arrivals_count(filters: Filters) -> int:
    return Arrival.objects.filter(_between("expected_at", filters), status__in=HAPPENED).count()


def returnee_counts(filters: Filters) -> dict[str, int]:
    """Returnees of the period, by sex, minors, vulnerable: one query."""
    return returnees(filters).aggregate(
        total=Count("id"), female=Count("id", filter=Q(sex=Sex.FEMALE)), male=Count("id", filter=Q(sex=Sex.MALE)),
        minor=Count("id", filter=Q(age__lt=18)), vulnerable=Count("id", filter=any_vulnerability_q()))


def case_counts(filters: Filters) -> dict[str, int]:
    cases = Case.objects.all()
    if filters.region:
        cases = cases.filter(destination_region_id=filters.region)
    return cases.aggregate(
        opened=Count("id", filter=_between("opened_at", filters)),
        closed=Count("id", filter=_between("closed_at", filters) & Q(status=CaseStatus.CLOSED)),
        reintegrated=Count("id", filter=_between("closed_at", filters) & Q(status=CaseStatus.CLOSED,
                                                                           closure_reason=ClosureReason.REINTEGRATED)))


COMPLETED = (ReferralStatus.DELIVERED, ReferralStatus.CLOSED)


def referral_counts(filters: Filters) -> dict[str, Any]:
    referrals = Referral.objects.filter(_between("sent_at", filters))
    if filters.region:
        referrals = referrals.filter(case__destination_region_id=filters.region)
    counts = referrals.aggregate(
        sent=Count("id"), accepted=Count("id", filter=Q(accepted_at__isnull=False)),
        completed=Count("id", filter=Q(delivered_at__isnull=False)))
    return counts


def referral_accept_days(filters: Filters) -> float | None:
    """Mean days from sending to acceptance, for the referrals of the period accepted."""
    referrals = Referral.objects.filter(_between("sent_at", filters), accepted_at__isnull=False)
    if filters.region:
        referrals = referrals.filter(case__destination_region_id=filters.region)
    mean = referrals.aggregate(d=Avg(ExpressionWrapper(F("accepted_at") - F("sent_at"),
                                                       output_field=DurationField())))["d"]
    if mean is None:
        return None
    if not isinstance(mean, dt.timedelta):  # some backends answer microseconds
        mean = dt.timedelta(microseconds=float(mean))
    return round(mean.total_seconds() / 86400, 1)


def agreements_signed(filters: Filters) -> int:
    return Agreement.objects.filter(_between("signed_at", filters)).count()


def project_counts(filters: Filters) -> dict[str, int]:
    dossiers = Dossier.objects.all()
    if filters.region:
        dossiers = dossiers.filter(region_id=filters.region)
    approved = dossiers.filter(_between("approved_at", filters)).count()
    # The installation day is recorded on the dossier (the day its last purchase was received).
    installed = (dossiers.filter(status=DossierStatus.INSTALLED)
                 .filter(installed_on__gte=filters.date_from, installed_on__lte=filters.date_to).count())
    return {"approved": approved, "installed": installed}


# --- User-scoped reads of the pages and the API -------------------------------------------------


def release_list_for_user(*, user: Any) -> QuerySet:
    require(user, "statistics.view_release")
    return StatisticalRelease.objects.select_related("requested_by").order_by("-created_at", "-id")


def release_get_for_user(*, user: Any, pk: int) -> StatisticalRelease:
    require(user, "statistics.view_release")
    release = StatisticalRelease.objects.filter(pk=pk).first()
    if release is None:
        raise Http404
    return release


def indicator_values_for_user(*, user: Any, filters: Filters) -> list[tuple[Any, Any]]:
    """Every registered indicator with its value: [(Indicator, Value)]."""
    from .indicators import evaluate_all

    require(user, "statistics.view_indicators")
    return evaluate_all(filters)


def donor_report_for_user(*, user: Any, filters: Filters) -> list[tuple[Any, Any]]:
    require(user, "statistics.view_donor_report")
    from .indicators import evaluate_all

    return evaluate_all(filters)


def regions() -> list[tuple[str, str]]:
    return list(Region.objects.order_by("name").values_list("code", "name"))



def dhis2_payload_for_user(*, user: Any, periods: list[str]) -> dict[str, Any]:
    from .dhis2 import data_value_set

    require(user, "statistics.view_indicators")
    return data_value_set(periods=periods)
