"""Access policy of statistics (see mboa.core.policy): each area declares its resources."""

from .dashboards import policy as _dashboards  # noqa: F401
from .release import policy as _release  # noqa: F401
