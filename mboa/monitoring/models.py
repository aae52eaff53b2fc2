"""The models of monitoring, defined per area (each area's ``models.py``)."""

from .feedback.models import *  # noqa: F403
from .surveys.models import *  # noqa: F403
