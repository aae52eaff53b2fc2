"""Demo data of statistics: each area's ``demo.seed(ctx)``."""

from .dashboards import demo as dashboards
from .release import demo as release


def seed(ctx) -> None:
    dashboards.seed(ctx)
    release.seed(ctx)
