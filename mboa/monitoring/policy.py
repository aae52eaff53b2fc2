"""Access policy of monitoring (see mboa.core.policy): each area declares its resources."""

from .feedback import policy as _feedback  # noqa: F401
from .surveys import policy as _surveys  # noqa: F401
