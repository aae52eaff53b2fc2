"""Rules of the release area. Statisticians reach the anonymised release and figures only;
the donor its periodic report and the indicators; nobody here reaches a person."""

from __future__ import annotations

from mboa.accounts.roles import CASE_MANAGER, DONOR, SECRETARIAT, STATISTICIAN
from mboa.core.permissions import ALLOW, Decision, deny, rule


@rule("statistics.view_release")
def view_release(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(STATISTICIAN):
        return ALLOW
    return deny("the statistical release is for the statistics institute")


@rule("statistics.request_release")
def request_release(user, obj=None) -> Decision:
    return view_release(user, obj)


@rule("statistics.view_indicators")
def view_indicators(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(STATISTICIAN, DONOR, SECRETARIAT, CASE_MANAGER):
        return ALLOW
    return deny("the programme's indicators are for IOM, the secretariat, the donor and the statisticians")


@rule("statistics.view_donor_report")
def view_donor_report(user, obj=None) -> Decision:
    if user.is_admin or user.has_role(DONOR, SECRETARIAT, CASE_MANAGER):
        return ALLOW
    return deny("the periodic report is for the donor, the secretariat and IOM")
