"""The models of statistics, defined per area (each area's ``models.py``)."""

from .dashboards.models import *  # noqa: F403
from .release.models import *  # noqa: F403
