"""The programme's indicators available now (reception, cases, referrals, agreements,
projects), registered in the indicator registry by ``setup.ready()``. Each reads one
aggregate query of ``selectors``; codes are stable (see ``indicators``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import selectors
from .indicators import Filters, Indicator, Value, rate, register

ORIGIN = _("region of origin of the returnee")
SETTLEMENT = _("region of settlement of the case")
PROJECT = _("region of the project")


def _returnees(key: str, share: bool = True):
    def compute(filters: Filters) -> Value:
        counts = selectors.returnee_counts(filters)
        if not share:
            return Value(counts[key])
        return rate(counts[key], counts["total"])
    return compute


def _cases(key: str):
    return lambda filters: Value(selectors.case_counts(filters)[key])


def _reintegrated(filters: Filters) -> Value:
    counts = selectors.case_counts(filters)
    return rate(counts["reintegrated"], counts["closed"])


def _referrals(key: str):
    def compute(filters: Filters) -> Value:
        counts = selectors.referral_counts(filters)
        return Value(counts["sent"]) if key == "sent" else rate(counts[key], counts["sent"])
    return compute


def _projects(key: str):
    return lambda filters: Value(selectors.project_counts(filters)[key])


RECEPTION, CASES, REFERRALS, PROJECTS = _("Reception"), _("Case management"), _("Referrals"), _("Projects")

INDICATORS = (
    Indicator("arrivals", _("Arrivals received"), lambda f: selectors.arrivals_count(f), group=RECEPTION, order=10),
    Indicator("returnees", _("Returnees received"), _returnees("total", share=False), group=RECEPTION,
              region_basis=ORIGIN, order=11),
    Indicator("returnees_female", _("Share of women among returnees"), _returnees("female"), unit="rate",
              group=RECEPTION, region_basis=ORIGIN, order=12),
    Indicator("returnees_male", _("Share of men among returnees"), _returnees("male"), unit="rate",
              group=RECEPTION, region_basis=ORIGIN, order=13),
    Indicator("returnees_minor", _("Share of minors (under 18) among returnees"), _returnees("minor"), unit="rate",
              group=RECEPTION, region_basis=ORIGIN, order=14),
    Indicator("returnees_vulnerable", _("Share of returnees with a vulnerability at arrival"),
              _returnees("vulnerable"), unit="rate", group=RECEPTION, region_basis=ORIGIN, order=15),
    Indicator("cases_opened", _("Cases opened"), _cases("opened"), group=CASES, region_basis=SETTLEMENT, order=20),
    Indicator("cases_closed", _("Cases closed"), _cases("closed"), group=CASES, region_basis=SETTLEMENT, order=21),
    Indicator("cases_reintegrated", _("Share of closed cases closed as reintegrated"), _reintegrated, unit="rate",
              group=CASES, region_basis=SETTLEMENT, order=22),
    Indicator("referrals_sent", _("Referrals sent"), _referrals("sent"), group=REFERRALS, region_basis=SETTLEMENT,
              order=30),
    Indicator("referrals_accepted", _("Share of referrals accepted"), _referrals("accepted"), unit="rate",
              group=REFERRALS, region_basis=SETTLEMENT, order=31),
    Indicator("referrals_completed", _("Share of referrals whose service was delivered"), _referrals("completed"),
              unit="rate", group=REFERRALS, region_basis=SETTLEMENT, order=32),
    Indicator("referral_accept_days", _("Mean days from sending to acceptance of a referral"),
              lambda f: Value(selectors.referral_accept_days(f)), unit="days", group=REFERRALS,
              region_basis=SETTLEMENT, order=33),
    Indicator("agreements_signed", _("Agreements signed"), lambda f: Value(selectors.agreements_signed(f)),
              group=REFERRALS, order=34),
    Indicator("projects_approved", _("Projects approved"), _projects("approved"), group=PROJECTS,
              region_basis=PROJECT, order=40),
    Indicator("projects_installed", _("Projects installed"), _projects("installed"), group=PROJECTS,
              region_basis=PROJECT, order=41),
)


def register_all() -> None:
    register(*INDICATORS)
