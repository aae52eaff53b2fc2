"""The simple profitability computation of a project sheet.

- monthly margin = expected monthly revenue - expected monthly costs;
- investment = budget (in-kind support) + contributions valued;
- payback (months) = investment / monthly margin, rounded up to one decimal;
  none when the margin is not positive (the project never pays back);
- margin rate = margin / revenue (share of revenue kept), none without revenue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Profitability:
    monthly_revenue_xaf: int
    monthly_costs_xaf: int
    investment_xaf: int
    monthly_margin_xaf: int
    payback_months: float | None
    margin_rate: float | None

    @property
    def pays_back(self) -> bool:
        return self.payback_months is not None


def compute(*, monthly_revenue_xaf: int, monthly_costs_xaf: int, budget_xaf: int, contribution_xaf: int = 0
            ) -> Profitability:
    margin = int(monthly_revenue_xaf) - int(monthly_costs_xaf)
    investment = int(budget_xaf) + int(contribution_xaf)
    payback = math.ceil(investment * 10 / margin) / 10 if margin > 0 else None
    rate = round(margin / monthly_revenue_xaf, 3) if monthly_revenue_xaf else None
    return Profitability(monthly_revenue_xaf=int(monthly_revenue_xaf), monthly_costs_xaf=int(monthly_costs_xaf),
                         investment_xaf=investment, monthly_margin_xaf=margin, payback_months=payback,
                         margin_rate=rate)


def for_version(version) -> Profitability:
    return compute(monthly_revenue_xaf=version.monthly_revenue_xaf, monthly_costs_xaf=version.monthly_costs_xaf,
                   budget_xaf=version.budget_xaf, contribution_xaf=version.contribution_xaf)
