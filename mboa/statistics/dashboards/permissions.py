"""Rules of the dashboards area. Figures only: nobody identifiable, so every reader role
that works with the mechanism's results may read them.

| rule                       | who                                                                     |
|----------------------------|-------------------------------------------------------------------------|
| view_dashboards            | administrators, IOM case managers, secretariat, focal points, donors,   |
|                            | statisticians (counsellors keep their caseload)                         |
| view_ownership             | the same (the COPIL projects the page)                                  |
| figures_home               | donors, statisticians and the secretariat land on the key figures       |
"""

from mboa.accounts.roles import ADMIN, CASE_MANAGER, DONOR, FOCAL_POINT, SECRETARIAT, STATISTICIAN
from mboa.core.permissions import ALLOW, Decision, deny, rule

READERS = (ADMIN, CASE_MANAGER, SECRETARIAT, FOCAL_POINT, DONOR, STATISTICIAN)


def _reader(user) -> Decision:
    if user.is_superuser or user.has_role(*READERS):
        return ALLOW
    return deny("the dashboards are for IOM, the structures, the donor and the statisticians")


@rule("statistics.view_dashboards")
def view_dashboards(user, obj=None) -> Decision:
    return _reader(user)


@rule("statistics.view_ownership")
def view_ownership(user, obj=None) -> Decision:
    return _reader(user)


@rule("statistics.figures_home")
def figures_home(user, obj=None) -> Decision:
    return ALLOW if user.has_role(DONOR, STATISTICIAN, SECRETARIAT) else deny("figures home: donor, statistician, secretariat")
